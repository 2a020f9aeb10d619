// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// A registry of facts (l1-data-tree.md §2.5): the state-transition verifiers, the GPS verifier,
/// the memory-page registry and the escape verifier all answer `isValid`.
interface IFactRegistry {
    function isValid(bytes32 fact) external view returns (bool);
}

/// A fact registry that also says whether it has ever registered a fact.
interface IQueryableFactRegistry is IFactRegistry {
    function hasRegisteredFact() external view returns (bool);
}
