// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./PerpetualBase.sol";

/**
 * Devnet governance: one governor (the deployer) registers operators, verifiers, tokens and
 * configuration hashes. Mainnet puts timelocks in front of verifier and configuration changes;
 * the devnet applies them at once (the events are mainnet's), since what Vigil verifies is the
 * state the exchange runs under, not how governance reached it.
 */
abstract contract Governance is PerpetualBase {
    event LogOperatorAdded(address operator);
    event LogOperatorRemoved(address operator);
    event LogTokenRegistered(uint256 assetType, bytes assetInfo);
    event LogSystemAssetType(uint256 assetType);
    event LogGlobalConfigurationApplied(bytes32 configHash);
    event LogAssetConfigurationApplied(uint256 assetId, bytes32 configHash);
    event LogVerifierAdded(address verifier, string identifier);

    function registerOperator(address newOperator) external onlyGovernance {
        operators[newOperator] = true;
        emit LogOperatorAdded(newOperator);
    }

    function unregisterOperator(address removedOperator) external onlyGovernance {
        operators[removedOperator] = false;
        emit LogOperatorRemoved(removedOperator);
    }

    function isOperator(address testedOperator) external view returns (bool) {
        return operators[testedOperator];
    }

    /// assetType = keccak256(assetInfo ‖ quantum) & MASK_250, as mainnet requires (§1.1).
    function registerToken(uint256 assetType, bytes calldata assetInfo, uint256 quantum) public onlyGovernance {
        require(!registeredAssetType[assetType], "ASSET_ALREADY_REGISTERED");
        require(assetType < K_MODULUS, "INVALID_ASSET_TYPE");
        require(quantum > 0 && quantum < 2 ** 128, "INVALID_QUANTUM");
        require(assetInfo.length == 36 && bytes4(assetInfo[0:4]) == ERC20_SELECTOR, "UNSUPPORTED_TOKEN_TYPE");
        require(uint256(keccak256(abi.encodePacked(assetInfo, quantum))) & MASK_250 == assetType, "INVALID_ASSET_TYPE");
        registeredAssetType[assetType] = true;
        assetTypeToAssetInfo[assetType] = assetInfo;
        assetTypeToQuantum[assetType] = quantum;
        emit LogTokenRegistered(assetType, assetInfo);
    }

    function registerSystemAssetType(uint256 assetType, bytes calldata assetInfo) external onlyGovernance {
        require(systemAssetType == 0, "SYSTEM_ASSET_TYPE_ALREADY_SET");
        registerToken(assetType, assetInfo, 1);
        systemAssetType = assetType;
        emit LogSystemAssetType(assetType);
    }

    function getSystemAssetType() external view returns (uint256) {
        return systemAssetType;
    }

    function applyGlobalConfigurationChange(bytes32 configHash) external onlyGovernance {
        globalConfigurationHash_ = configHash;
        emit LogGlobalConfigurationApplied(configHash);
    }

    function applyAssetConfigurationChange(uint256 assetId, bytes32 configHash) external onlyGovernance {
        configurationHash_[assetId] = configHash;
        emit LogAssetConfigurationApplied(assetId, configHash);
    }

    function globalConfigurationHash() external view returns (bytes32) {
        return globalConfigurationHash_;
    }

    function configurationHash(uint256 assetId) external view returns (bytes32) {
        return configurationHash_[assetId];
    }

    function registerVerifier(address verifier, string calldata identifier) external onlyGovernance {
        require(verifier.code.length > 0, "ADDRESS_NOT_CONTRACT");
        for (uint256 i = 0; i < verifiers.length; i++) require(verifiers[i] != verifier, "ALREADY_REGISTERED");
        verifiers.push(verifier);
        emit LogVerifierAdded(verifier, identifier);
    }

    function getRegisteredVerifiers() external view returns (address[] memory) {
        return verifiers;
    }

    function isVerifier(address verifierAddress) external view returns (bool) {
        for (uint256 i = 0; i < verifiers.length; i++) if (verifiers[i] == verifierAddress) return true;
        return false;
    }
}
