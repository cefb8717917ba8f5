// Jest with native ES modules (run with node --experimental-vm-modules): no transform.
export default { testMatch: ["<rootDir>/jest/*.test.js"], transform: {} };
