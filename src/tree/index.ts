// The positions tree and escape proofs (l1-data-tree.md §4, signing-risk.md B1.8 / B2.2).
export { EscapeVerificationError, PositionTreeError } from './errors.js';
export {
  checkLeafPosition,
  positionHashChain,
  positionLeafHash,
  positionLeafHashes,
  positionLeafWords,
  LEAF_MAX_ASSETS,
  type BatchHasher,
  type NodePair,
} from './position-leaf.js';
export { emptySubtreeRoot, emptySubtreeRoots, MAX_POSITION_TREE_HEIGHT } from './empty-subtrees.js';
export { MemoryNodeStore, type NodeKey, type NodeStore, type NodeStoreBatch } from './node-store.js';
export { bulkPositionTreeRoot, type BulkBuildOptions, type ContiguousPositions } from './bulk-build.js';
export { PositionTree, type MerklePath, type PositionTreeOptions } from './position-tree.js';
export { encodeEscapeProof, escapeProofPosition, packEscapeProof, unpackEscapeProof } from './escape-proof.js';
export { escapeWithdrawalAmount, verifyEscapeProof, type EscapeVerification } from './escape-verifier.js';
