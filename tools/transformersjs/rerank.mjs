// Whole-process reranking with transformers.js (onnxruntime-node), for comparing against `rerankkit rerank` on the
// same model folder, ONNX file and documents. Not used by tests (they need no npm).
//   npm install @huggingface/transformers   (in this folder)
//   node rerank.mjs MODEL_FOLDER ONNX_FILE_NAME QUERY DOCS.jsonl [BATCH]
// ONNX_FILE_NAME without .onnx, inside MODEL_FOLDER/onnx, e.g. model_qint8_avx512_vnni. DOCS.jsonl: {"text": ...} lines.
// Batches are formed like RerankKit's: pairs sorted by length, padded per batch.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { env, AutoTokenizer, AutoModelForSequenceClassification } from '@huggingface/transformers';

const [folder, fileName, query, docsFile, batchArg] = process.argv.slice(2);
const batch = Number(batchArg ?? 32);
env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(folder)) + '/';
const id = path.basename(path.resolve(folder));

const start = performance.now();
const tokenizer = await AutoTokenizer.from_pretrained(id);
const model = await AutoModelForSequenceClassification.from_pretrained(id, { dtype: 'fp32', model_file_name: fileName });
const docs = readFileSync(docsFile, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l).text);
const loaded = performance.now();

const lengths = docs.map(d => tokenizer(query, { text_pair: d, truncation: true }).input_ids.size);
const order = docs.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b]);
const scores = new Array(docs.length);
for (let s = 0; s < order.length; s += batch) {
  const idx = order.slice(s, s + batch);
  const inputs = tokenizer(idx.map(() => query), { text_pair: idx.map(i => docs[i]), padding: true, truncation: true });
  const { logits } = await model(inputs);
  idx.forEach((i, j) => { scores[i] = logits.data[j * logits.dims[1]]; });
}
const end = performance.now();
console.log(JSON.stringify({ documents: docs.length, load_ms: loaded - start, rerank_ms: end - loaded, total_ms: end - start, first_scores: scores.slice(0, 3) }));
