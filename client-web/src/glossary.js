// The glossary: one word per concept (glossary.json, shared with the server,
// whose minutes and exports are generated from the same file at build time).
// strings.js and strings-record.js take every glossary term from here, so
// the meeting screen, the record pages and the minutes cannot drift apart.
import GLOSSARY from "./glossary.json" with { type: "json" };

export const TERMS = GLOSSARY.terms;

// term("stance.block") → {ja: "阻止", en: "Block"}. An unknown key is a
// programming error and fails at load time, not as a blank label.
export function term(key) {
  const entry = TERMS[key];
  if (!entry) throw new Error(`glossary: no term "${key}"`);
  return { ja: entry.ja, en: entry.en };
}

// Every variant the glossary rules out, with the term to use instead:
// [{variant: "シュルツ方式", key: "method.schulze", use: "シュルツェ法"}].
export function avoidedVariants() {
  return Object.entries(TERMS).flatMap(([key, entry]) =>
    (entry.avoid || []).map((variant) => ({ variant, key, use: entry.ja })),
  );
}
