// Writes the tokenizer oracle goldens in tests/RerankKit.Tests/Tokenization/Oracle/ from the official Hugging Face
// tokenizers library (npm tokenizers 0.23.2), for every distinct tokenizer.json under ../shared/fixtures and
// ../shared/incoming. Usage (outside the repo, where the package is installed):
//   node tools/tokenizer-oracle/generate.mjs <folder holding node_modules/tokenizers> <repo root>
// cases.json.gz: the inputs (texts, pairs, truncation cases); <name>.json.gz: for each case ids, type ids and
// offsets (UTF-16 ranges, converted from the library's character offsets) or the library's error.
import { createRequire } from "node:module";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const [oracleDir, repoRoot] = process.argv.slice(2);
const require = createRequire(path.join(oracleDir, "package.json"));
const { Tokenizer } = require("tokenizers");
const shared = path.resolve(repoRoot, "..", "shared");
const outDir = path.join(repoRoot, "tests", "RerankKit.Tests", "Tokenization", "Oracle");
fs.mkdirSync(outDir, { recursive: true });

// Deterministic PRNG (mulberry32) so that the goldens are reproducible.
let seed = 20261201;
const rand = () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = (a) => a[Math.floor(rand() * a.length)];

// 1. Normal English: SciFact sentences.
const sentences = [];
for (const line of fs.readFileSync(path.join(shared, "datasets", "scifact", "corpus.jsonl"), "utf8").split("\n")) {
  if (!line.trim()) continue;
  const doc = JSON.parse(line);
  for (const s of `${doc.title}. ${doc.text}`.split(/(?<=[.!?])\s+/)) if (s.length > 3) sentences.push(s);
  if (sentences.length >= 700) break;
}
// 2. Random code points from every plane (no surrogates), with spaces, seeded.
const planes = [[0x20, 0x7f], [0x80, 0x7ff], [0x800, 0xd7ff], [0xe000, 0xffff], [0x10000, 0x1ffff], [0x20000, 0x2ffff],
  [0x30000, 0x3ffff], [0xe0000, 0xeffff], [0xf0000, 0xfffff], [0x100000, 0x10ffff]];
const randomText = () => {
  const n = 1 + Math.floor(rand() * 40);
  let s = "";
  for (let i = 0; i < n; i++) {
    if (rand() < 0.15) { s += " "; continue; }
    const [lo, hi] = pick(planes);
    s += String.fromCodePoint(lo + Math.floor(rand() * (hi - lo + 1)));
  }
  return s;
};
const randoms = Array.from({ length: 300 }, randomText);
// 3. Edge cases: special-token strings, whitespace, accents, CJK, digits, long words, empty.
const edges = ["", " ", "  leading and trailing  ", "[CLS] [SEP] [UNK] [PAD] [MASK] <s> </s> <pad> <unk> <mask>",
  "<|endoftext|><|im_start|>user\nhi<|im_end|>", "Café naïve résumé Ångström İstanbul ß ǅ", "北京大学 東京 서울 ｆｕｌｌｗｉｄｔｈ",
  "3.14159 2026-12-01 1,000,000 ١٢٣ ⅷ ½", "tab\tnew\nline\r\nnbsp\u00a0thin\u2009ideo\u3000end", "e\u0301 a\u0308\u0323 \u1100\u1161\u11a8",
  "pneumonoultramicroscopicsilicovolcanoconiosis".repeat(5), "don't can't I'm we'll they've it's", "<extra_id_0> ▁ ▁▁x",
  "😀👍🏽🇩🇪 👨‍👩‍👧", "x".repeat(150), "|||IP_ADDRESS||| |||EMAIL_ADDRESS|||", "\u0000\u0001\u200b\u200d\ufeff\ufffd"];
const texts = [...sentences, ...randoms, ...edges];

const pairs = [];
for (let i = 0; i < 400; i++) pairs.push([Math.floor(rand() * texts.length), Math.floor(rand() * texts.length)]);
const truncations = [];
const strategies = ["LongestFirst", "OnlyFirst", "OnlySecond"];
for (let i = 0; i < 360; i++) {
  const single = i % 6 === 0;
  truncations.push({
    a: Math.floor(rand() * texts.length), b: single ? null : Math.floor(rand() * texts.length),
    max: pick([5, 8, 16, 32, 64, 128]), strategy: strategies[i % 3], direction: i % 4 === 3 ? "left" : "right",
  });
}

const write = (file, value) => fs.writeFileSync(path.join(outDir, file), zlib.gzipSync(Buffer.from(JSON.stringify(value)), { level: 9 }));
write("cases.json.gz", { texts, pairs, truncations });

// Character offsets -> UTF-16 offsets of the given string.
const utf16 = (s) => { const map = [0]; let u = 0; for (const ch of s) { u += ch.length; map.push(u); } return map; };
const flat = (encoding, text) => {
  const m = utf16(text);
  return {
    ids: Array.from(encoding.getIds()), types: Array.from(encoding.getTypeIds()),
    offsets: encoding.getOffsets().flatMap(([s, e], k) => [m[s], m[e]]),
    sequence: encoding.getSequenceIds ? encoding.getSequenceIds().map((x) => (x === null || x === undefined ? -1 : x)) : [],
  };
};
// Offsets of a pair refer to the text of each token's own sequence.
const pairOffsets = (encoding, a, b) => {
  const ma = utf16(a), mb = utf16(b ?? "");
  const seq = encoding.getSequenceIds();
  return encoding.getOffsets().flatMap(([s, e], k) => { const m = seq[k] === 1 ? mb : ma; return [m[s], m[e]]; });
};

// Every tokenizer.json, grouped by content.
const files = [];
const walk = (dir) => { for (const name of fs.readdirSync(dir)) { const p = path.join(dir, name); if (fs.statSync(p).isDirectory()) walk(p); else if (name === "tokenizer.json") files.push(p); } };
walk(path.join(shared, "fixtures"));
walk(path.join(shared, "incoming"));
const groups = new Map();
for (const f of files.sort()) {
  const hash = crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");
  if (!groups.has(hash)) groups.set(hash, []);
  groups.get(hash).push(path.relative(shared, f));
}

const index = [];
for (const [hash, paths] of groups) {
  const name = paths[0].replace(/\/tokenizer\.json$/, "").replace(/[\/]/g, "__");
  const tok = Tokenizer.fromFile(path.join(shared, paths[0]));
  tok.disableTruncation();
  tok.disablePadding();
  const single = [], noSpecial = [], pairResults = [], truncResults = [];
  for (const t of texts) {
    single.push(flat(await tok.encode(t, null, { addSpecialTokens: true }), t));
    noSpecial.push(Array.from((await tok.encode(t, null, { addSpecialTokens: false })).getIds()));
  }
  for (const [i, j] of pairs) {
    const e = await tok.encode(texts[i], texts[j], { addSpecialTokens: true });
    pairResults.push({ ...flat(e, texts[i]), offsets: pairOffsets(e, texts[i], texts[j]) });
  }
  for (const c of truncations) {
    tok.setTruncation(c.max, { strategy: c.strategy, direction: c.direction });
    try {
      const e = await tok.encode(texts[c.a], c.b === null ? null : texts[c.b], { addSpecialTokens: true });
      truncResults.push({ ...flat(e, texts[c.a]), offsets: pairOffsets(e, texts[c.a], c.b === null ? null : texts[c.b]) });
    } catch (err) {
      truncResults.push({ error: String(err).replace(/^Error: /, "") });
    }
    tok.disableTruncation();
  }
  const golden = { library: "npm tokenizers 0.23.2", sha256: hash, paths, single, noSpecial, pairs: pairResults, truncations: truncResults };
  write(`${name}.json.gz`, golden);
  index.push({ name, sha256: hash, paths });
  console.log(`${name}: ${paths.length} file(s), ${texts.length} texts, ${pairs.length} pairs, ${truncations.length} truncation cases`);
}
fs.writeFileSync(path.join(outDir, "index.json"), JSON.stringify(index, null, 1) + "\n");
