// Svelte 5 with runes everywhere; <script lang="ts"> needs no preprocessor (Svelte strips the types).
export default {
  compilerOptions: { runes: true },
};
