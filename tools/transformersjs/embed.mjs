// Whole-process corpus encoding with transformers.js (onnxruntime-node), for comparing against
// `rerankkit embed --model FOLDER --input DOCS.jsonl` on the same model folder, ONNX file and documents.
// Not used by tests (they need no npm).
//   npm install @huggingface/transformers   (in this folder)
//   node embed.mjs MODEL_FOLDER ONNX_FILE_NAME DOCS.jsonl [BATCH] [MAX_LENGTH] [THREADS]
// THREADS sets onnxruntime-node's intra-op threads; without it transformers.js keeps ONNX Runtime's default, which ran
// one thread on a 2-core machine (RerankKit uses every core the process may use).
// ONNX_FILE_NAME without .onnx, inside MODEL_FOLDER/onnx (model, or model_qint8_avx512_vnni). DOCS.jsonl: {"text": ...}
// lines. Batches are formed like RerankKit's: the whole input sorted by token length, longest first, each batch padded
// to its longest; mean pooling and L2 normalization as all-MiniLM-L6-v2's modules.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { env, AutoTokenizer, AutoModel } from '@huggingface/transformers';

const [folder, fileName, docsFile, batchArg, maxLengthArg, threadsArg] = process.argv.slice(2);
const batch = Number(batchArg ?? 32);
const maxLength = Number(maxLengthArg ?? 256);
const sessionOptions = threadsArg ? { intraOpNumThreads: Number(threadsArg) } : undefined;
env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(folder)) + '/';
const id = path.basename(path.resolve(folder));

const start = performance.now();
const tokenizer = await AutoTokenizer.from_pretrained(id);
const model = await AutoModel.from_pretrained(id, { dtype: 'fp32', model_file_name: fileName, session_options: sessionOptions });
const docs = readFileSync(docsFile, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l).text);
const loaded = performance.now();

const lengths = docs.map(d => tokenizer(d, { truncation: true, max_length: maxLength }).input_ids.size);
const order = docs.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a]);
const embeddings = new Array(docs.length);
for (let s = 0; s < order.length; s += batch) {
  const idx = order.slice(s, s + batch);
  const inputs = tokenizer(idx.map(i => docs[i]), { padding: true, truncation: true, max_length: maxLength });
  const { last_hidden_state: hidden } = await model(inputs);
  const [rows, length, width] = hidden.dims;
  const mask = inputs.attention_mask.data;
  idx.forEach((doc, row) => {
    const v = new Float32Array(width);
    let n = 0;
    for (let t = 0; t < length; t++) {
      if (!mask[row * length + t]) continue;
      n++;
      for (let h = 0; h < width; h++) v[h] += hidden.data[(row * length + t) * width + h];
    }
    let norm = 0;
    for (let h = 0; h < width; h++) { v[h] /= n; norm += v[h] * v[h]; }
    norm = Math.sqrt(norm) || 1;
    for (let h = 0; h < width; h++) v[h] /= norm;
    embeddings[doc] = v;
  });
}
const end = performance.now();
console.log(JSON.stringify({ documents: docs.length, load_ms: loaded - start, encode_ms: end - loaded, total_ms: end - start,
  first_values: Array.from(embeddings[0].slice(0, 3)) }));
