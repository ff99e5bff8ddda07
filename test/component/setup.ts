// Mount/unmount around every component test (@testing-library/svelte's vitest hooks).
import '@testing-library/svelte/vitest';
