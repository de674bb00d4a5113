// Gives vite.config.ts its `test` block's types when the whole package is type-checked.
/// <reference types="vitest/config" />
