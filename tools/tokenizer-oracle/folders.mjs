// Goldens for model folders that hold only the "slow" tokenizer files (vocab.txt, or vocab.json + merges.txt), for
// tests/RerankKit.Tests/Tokenization/Json/FolderWithoutTokenizerJsonTests.cs. For each folder this script writes the
// tokenizer.json that transformers' converter (convert_slow_tokenizer.py: BertConverter, MPNetConverter,
// Qwen2Converter, plus the added tokens PreTrainedTokenizerFast registers from tokenizer_config.json and
// special_tokens_map.json) would build from those files, loads it into the official tokenizers library (npm 0.23.2),
// and records the library's output on the inputs of cases.json.gz. Where the folder also ships a real tokenizer.json,
// the script runs that file too and lists the cases on which the two differ.
// Usage: node tools/tokenizer-oracle/folders.mjs <folder holding node_modules/tokenizers> <repo root>
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const [oracleDir, repoRoot] = process.argv.slice(2);
const require = createRequire(path.resolve(oracleDir, "package.json"));
const { Tokenizer } = require("tokenizers");
const shared = path.resolve(repoRoot, "..", "shared");
const oracle = path.join(repoRoot, "tests", "RerankKit.Tests", "Tokenization", "Oracle");
const outDir = path.join(oracle, "Folders");
fs.mkdirSync(outDir, { recursive: true });

const FOLDERS = ["models/ms-marco-MiniLM-L6-v2", "models/all-MiniLM-L6-v2", "incoming/electra-small-seqcls-qut",
  "incoming/all-mpnet-base-v2", "incoming/answerai-colbert-small-v1-pylate", "incoming/Qwen3-Reranker-0.6B",
  "incoming/Qwen3-Embedding-0.6B", "incoming/deberta-v3-small", "incoming/mxbai-rerank-xsmall-v1"];

// The Qwen3 folders have no tokenizer.json; the architecture fixtures hold one rebuilt by another route
// (tools/reference/arch_qwen_tok.py in the fixture generator, checked against published ids), compared here too.
const RECONSTRUCTIONS = { "incoming/Qwen3-Reranker-0.6B": "fixtures/tiny-qwen3-reranker/tokenizer.json",
  "incoming/Qwen3-Embedding-0.6B": "fixtures/tiny-qwen3-embedder/tokenizer.json" };

const readJson = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null);

// Python's text-mode readlines: \n, \r\n and \r end a line.
const lines = (file) => fs.readFileSync(file, "utf8").split(/\r\n|\r|\n/);

// BertTokenizer.load_vocab: one token a line, rstrip("\n"), the line number is the id.
const wordPieceVocab = (folder) => {
  const vocab = {};
  const all = lines(path.join(folder, "vocab.txt"));
  if (all[all.length - 1] === "") all.pop();
  all.forEach((token, id) => { vocab[token] = id; });
  return vocab;
};

// Qwen2Tokenizer: vocab.json as is; merges.txt without its "#version" header and blank lines, split on whitespace.
const bpeFiles = (folder) => {
  const vocab = readJson(path.join(folder, "vocab.json"));
  const merges = [];
  lines(path.join(folder, "merges.txt")).forEach((raw, i) => {
    const line = raw.trim();
    if ((i === 0 && line.startsWith("#version:")) || !line) return;
    const parts = line.split(/\s+/);
    if (parts.length !== 2) throw new Error(`merge line ${i + 1} is not two tokens: ${line}`);
    merges.push(parts);
  });
  return { vocab, merges };
};

// The added tokens of a fast tokenizer built from slow files: tokenizer_config.json's added_tokens_decoder sorted by
// id, then every special token (special_tokens_map.json over tokenizer_config.json) not yet among them, as
// AddedToken(content, special=True) (so normalized=false unless the file says otherwise). A token of the vocabulary
// keeps its id; any other gets the next free id.
const addedTokens = (folder, vocab) => {
  const config = readJson(path.join(folder, "tokenizer_config.json")) ?? {};
  const map = readJson(path.join(folder, "special_tokens_map.json")) ?? {};
  const token = (t) => ({ content: t.content, single_word: !!t.single_word, lstrip: !!t.lstrip, rstrip: !!t.rstrip,
    normalized: t.normalized ?? !t.special, special: !!t.special });
  const added = Object.entries(config.added_tokens_decoder ?? {}).map(([id, t]) => ({ id: Number(id), ...token(t) }))
    .sort((a, b) => a.id - b.id);
  const specials = [];
  for (const key of ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"]) {
    const v = key in map ? map[key] : config[key];
    if (v !== null && v !== undefined) specials.push(v);
  }
  specials.push(...(map.additional_special_tokens ?? config.additional_special_tokens ?? []));
  let next = [...Object.values(vocab), ...added.map((t) => t.id)].reduce((m, id) => Math.max(m, id + 1), 0);
  for (const v of specials) {
    const t = token(typeof v === "string" ? { content: v, special: true } : { ...v, special: true });
    if (added.some((a) => a.content === t.content)) continue;
    added.push({ id: t.content in vocab ? vocab[t.content] : next++, ...t });
  }
  return { config, added };
};

const idOf = (name, vocab, added) => added.find((t) => t.content === name)?.id ?? vocab[name];
const special = (name, ids) => ({ id: name, ids, tokens: [name] });

const wordPiece = (folder, tokenizerClass) => {
  const vocab = wordPieceVocab(folder);
  const { config, added } = addedTokens(folder, vocab);
  const cls = config.cls_token?.content ?? config.cls_token ?? "[CLS]";
  const sep = config.sep_token?.content ?? config.sep_token ?? "[SEP]";
  const clsId = idOf(cls, vocab, added), sepId = idOf(sep, vocab, added);
  // MPNet's layout <s> A </s></s> B </s>. MPNetConverter's template types B 1, but MPNet takes no token_type_ids and
  // the MPNet tokenizer.json files on the Hub use RobertaProcessing, which types everything 0: that is kept.
  const post = tokenizerClass === "MPNetTokenizer"
    ? { type: "RobertaProcessing", sep: [sep, sepId], cls: [cls, clsId], trim_offsets: true, add_prefix_space: false }
    : { type: "TemplateProcessing",
        single: [{ SpecialToken: { id: cls, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: sep, type_id: 0 } }],
        pair: [{ SpecialToken: { id: cls, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: sep, type_id: 0 } },
          { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: sep, type_id: 1 } }],
        special_tokens: { [cls]: special(cls, [clsId]), [sep]: special(sep, [sepId]) } };
  return {
    version: "1.0", truncation: null, padding: null, added_tokens: added,
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: config.tokenize_chinese_chars ?? true,
      strip_accents: config.strip_accents ?? null, lowercase: config.do_lower_case ?? true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: post,
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: config.unk_token?.content ?? config.unk_token ?? "[UNK]",
      continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
  };
};

const QWEN2_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

// sentence-transformers pools a Qwen3-Embedding-style model at the last token, which the model's own tokenizer.json
// makes the end-of-text token (config.json eos_token_id) it appends to every text.
const appendedEos = (folder) => {
  const modules = readJson(path.join(folder, "modules.json"));
  const pooling = modules?.find((m) => m.type.endsWith(".Pooling"));
  if (!pooling || !readJson(path.join(folder, pooling.path, "config.json"))?.pooling_mode_lasttoken) return null;
  return readJson(path.join(folder, "config.json")).eos_token_id;
};

const qwen2 = (folder) => {
  const { vocab, merges } = bpeFiles(folder);
  const { config, added } = addedTokens(folder, vocab);
  const byteLevel = { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true };
  let post = byteLevel;
  const eosId = appendedEos(folder);
  if (eosId !== null) {
    const eos = added.find((t) => t.id === eosId).content;
    post = { type: "Sequence", processors: [byteLevel, { type: "TemplateProcessing",
      single: [{ Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } }],
      pair: [{ Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: eos, type_id: 1 } }],
      special_tokens: { [eos]: special(eos, [eosId]) } }] };
  }
  return {
    version: "1.0", truncation: null, padding: null, added_tokens: added,
    normalizer: { type: "NFC" },
    pre_tokenizer: { type: "Sequence", pretokenizers: [
      { type: "Split", pattern: { Regex: QWEN2_PATTERN }, behavior: "Isolated", invert: false },
      { type: "ByteLevel", add_prefix_space: config.add_prefix_space ?? false, trim_offsets: true, use_regex: false }] },
    post_processor: post,
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: "", end_of_word_suffix: "",
      fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  };
};

// The fields of sentencepiece_model.proto the DeBERTa-v2 converter reads: pieces (piece, score, type), trainer_spec.unk_id
// and normalizer_spec.precompiled_charsmap.
const readSpm = (file) => {
  const buf = fs.readFileSync(file);
  const varint = (r) => { let v = 0n, shift = 0n, b; do { b = buf[r.p++]; v |= BigInt(b & 0x7f) << shift; shift += 7n; } while (b & 0x80); return v; };
  const fields = (start, end, onField) => {
    const r = { p: start };
    while (r.p < end) {
      const key = Number(varint(r)), field = key >> 3, wire = key & 7;
      if (wire === 0) onField(field, Number(BigInt.asIntN(32, varint(r))));
      else if (wire === 5) { onField(field, buf.readFloatLE(r.p)); r.p += 4; }
      else if (wire === 1) r.p += 8;
      else if (wire === 2) { const n = Number(varint(r)); onField(field, [r.p, r.p + n]); r.p += n; }
      else throw new Error(`${file}: protobuf wire type ${wire}`);
    }
  };
  const model = { pieces: [], unkId: 0, charsmap: null };
  fields(0, buf.length, (f, v) => {
    if (f === 1) {
      const piece = { piece: "", score: 0, type: 1 };
      fields(v[0], v[1], (g, w) => { if (g === 1) piece.piece = buf.toString("utf8", w[0], w[1]); else if (g === 2) piece.score = w; else if (g === 3) piece.type = w; });
      model.pieces.push(piece);
    } else if (f === 2) fields(v[0], v[1], (g, w) => { if (g === 40) model.unkId = w; });
    else if (f === 3) fields(v[0], v[1], (g, w) => { if (g === 2) model.charsmap = buf.subarray(w[0], w[1]).toString("base64"); });
  });
  return model;
};

// DebertaV2Converter over spm.model: Unigram with the pieces' scores, the control (special) and user-defined pieces
// as added tokens, then tokenizer_config.json's added_tokens_decoder over them by id.
const debertaV2 = (folder) => {
  const spm = readSpm(path.join(folder, "spm.model"));
  const vocab = {};
  spm.pieces.forEach((p, id) => { if (!(p.piece in vocab)) vocab[p.piece] = id; });
  const { config, added: fromConfig } = addedTokens(folder, vocab);
  const byId = new Map();
  spm.pieces.forEach((p, id) => { if (p.type === 3 || p.type === 4) byId.set(id, { id, content: p.piece, single_word: false, lstrip: false, rstrip: false, normalized: false, special: p.type === 3 }); });
  for (const t of fromConfig) {
    const same = [...byId.values()].find((x) => x.content === t.content);
    if (same) byId.delete(same.id);
    byId.set(t.id, t);
  }
  const added = [...byId.values()].sort((a, b) => a.id - b.id);
  const cls = config.cls_token?.content ?? config.cls_token ?? "[CLS]", sep = config.sep_token?.content ?? config.sep_token ?? "[SEP]";
  const clsId = idOf(cls, vocab, added), sepId = idOf(sep, vocab, added);
  const normalizers = [];
  if (config.do_lower_case) normalizers.push({ type: "Lowercase" });
  normalizers.push({ type: "Strip", strip_left: true, strip_right: true });
  if (spm.charsmap) normalizers.push({ type: "Precompiled", precompiled_charsmap: spm.charsmap });
  normalizers.push({ type: "Replace", pattern: { Regex: " {2,}" }, content: " " });
  const pre = [];
  if (config.split_by_punct) pre.push({ type: "Punctuation", behavior: "Isolated" });
  pre.push({ type: "Metaspace", replacement: "\u2581", prepend_scheme: "always", split: true });
  return {
    version: "1.0", truncation: null, padding: null, added_tokens: added,
    normalizer: { type: "Sequence", normalizers },
    pre_tokenizer: { type: "Sequence", pretokenizers: pre },
    post_processor: { type: "TemplateProcessing",
      single: [{ SpecialToken: { id: cls, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: sep, type_id: 0 } }],
      pair: [{ SpecialToken: { id: cls, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: sep, type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: sep, type_id: 1 } }],
      special_tokens: { [cls]: special(cls, [clsId]), [sep]: special(sep, [sepId]) } },
    decoder: { type: "Metaspace", replacement: "\u2581", prepend_scheme: "always", split: true },
    model: { type: "Unigram", unk_id: spm.unkId, vocab: spm.pieces.map((p) => [p.piece, p.score]), byte_fallback: false },
  };
};

const convert = (folder) => {
  const tokenizerClass = (readJson(path.join(folder, "tokenizer_config.json"))?.tokenizer_class ?? "").replace(/Fast$/, "");
  if (["BertTokenizer", "DistilBertTokenizer", "ElectraTokenizer", "MPNetTokenizer"].includes(tokenizerClass)) return wordPiece(folder, tokenizerClass);
  if (tokenizerClass === "Qwen2Tokenizer") return qwen2(folder);
  if (tokenizerClass === "DebertaV2Tokenizer") return debertaV2(folder);
  throw new Error(`${folder}: no converter for tokenizer_class ${tokenizerClass}`);
};

// Character offsets -> UTF-16 offsets, as generate.mjs writes them.
const utf16 = (s) => { const map = [0]; let u = 0; for (const ch of s) { u += ch.length; map.push(u); } return map; };
const result = (encoding, a, b) => {
  const ma = utf16(a), mb = utf16(b ?? "");
  const seq = encoding.getSequenceIds();
  return {
    ids: Array.from(encoding.getIds()), types: Array.from(encoding.getTypeIds()),
    offsets: encoding.getOffsets().flatMap(([s, e], k) => { const m = seq[k] === 1 ? mb : ma; return [m[s], m[e]]; }),
  };
};

const cases = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(oracle, "cases.json.gz"))));
const run = async (tok) => {
  tok.disableTruncation();
  tok.disablePadding();
  const out = { single: [], noSpecial: [], pairs: [], truncations: [] };
  for (const t of cases.texts) {
    out.single.push(result(await tok.encode(t, null, { addSpecialTokens: true }), t));
    out.noSpecial.push(Array.from((await tok.encode(t, null, { addSpecialTokens: false })).getIds()));
  }
  for (const [i, j] of cases.pairs) out.pairs.push(result(await tok.encode(cases.texts[i], cases.texts[j], { addSpecialTokens: true }), cases.texts[i], cases.texts[j]));
  for (const c of cases.truncations) {
    tok.setTruncation(c.max, { strategy: c.strategy, direction: c.direction });
    const a = cases.texts[c.a], b = c.b === null ? null : cases.texts[c.b];
    try {
      out.truncations.push(result(await tok.encode(a, b, { addSpecialTokens: true }), a, b));
    } catch (err) {
      out.truncations.push({ error: String(err).replace(/^Error: /, "") });
    }
    tok.disableTruncation();
  }
  return out;
};

// Case labels as the C# test names them; a case differs when ids, type ids, offsets or the error differ.
const differences = (x, y) => {
  const labels = [];
  const same = (p, q) => JSON.stringify(p) === JSON.stringify(q);
  x.single.forEach((r, i) => { if (!same(r, y.single[i])) labels.push(`single ${i}`); });
  x.noSpecial.forEach((r, i) => { if (!same(r, y.noSpecial[i])) labels.push(`no-special ${i}`); });
  x.pairs.forEach((r, i) => { if (!same(r, y.pairs[i])) labels.push(`pair ${i}`); });
  x.truncations.forEach((r, i) => { if (!same(r, y.truncations[i])) labels.push(`truncation ${i}`); });
  return labels;
};

const index = [];
for (const relative of FOLDERS) {
  const folder = path.join(shared, relative);
  const converted = convert(folder);
  const outputs = await run(Tokenizer.fromString(JSON.stringify(converted)));
  const real = path.join(folder, "tokenizer.json");
  const differsFromTokenizerJson = fs.existsSync(real) ? differences(outputs, await run(Tokenizer.fromFile(real))) : null;
  if (RECONSTRUCTIONS[relative]) {
    const other = differences(outputs, await run(Tokenizer.fromFile(path.join(shared, RECONSTRUCTIONS[relative]))));
    console.log(`${relative}: ${RECONSTRUCTIONS[relative]} differs on ${other.length} encodings ${other.slice(0, 10).join(", ")}`);
  }
  const name = path.basename(relative);
  fs.writeFileSync(path.join(outDir, `${name}.json.gz`), zlib.gzipSync(Buffer.from(JSON.stringify({
    library: "npm tokenizers 0.23.2", folder: relative, differsFromTokenizerJson, ...outputs,
  })), { level: 9 }));
  index.push({ name, folder: relative, hasTokenizerJson: differsFromTokenizerJson !== null, differsFromTokenizerJson });
  const total = outputs.single.length + outputs.noSpecial.length + outputs.pairs.length + outputs.truncations.length;
  console.log(`${relative}: ${total} encodings` + (differsFromTokenizerJson === null ? ", no tokenizer.json"
    : `; the folder's tokenizer.json gives the same on ${total - differsFromTokenizerJson.length}/${total}` +
      (differsFromTokenizerJson.length ? ` (differs: ${differsFromTokenizerJson.join(", ")})` : "")));
}
fs.writeFileSync(path.join(outDir, "index.json"), JSON.stringify(index, null, 1) + "\n");
