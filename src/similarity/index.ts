export { bandHashes, DEFAULT_MINHASH, estimateJaccard, fmix32, fnv1a, minhash, shingleHashes, type MinHashOptions } from './minhash.js';
export { compareForStory, candidateKeys, decodeTraits, DEFAULT_STORY_OPTIONS, encodeTraits, storyTraits, withinWindow, type StoryInput, type StoryMatch, type StoryOptions, type StoryTraits } from './story.js';
export { changeRatio, contentWords, intersection, overlapCoefficient, properNames, wordHashes, words } from './text.js';
