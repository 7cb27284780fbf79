export { bandKeys, decodeSignature, DEFAULT_MINHASH, encodeSignature, estimateJaccard, minhash, shingleHashes, type MinHashOptions } from './minhash.js';
export { compareForStory, candidateKeys, DEFAULT_STORY_OPTIONS, storyTraits, withinWindow, type StoryInput, type StoryMatch, type StoryOptions, type StoryTraits } from './story.js';
export { changeRatio, contentWords, intersection, overlapCoefficient, properNames, words } from './text.js';
