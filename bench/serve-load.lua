-- wrk script for bench/serve-load.sh: every request is POST /rerank with one query and 10 documents.
-- Documents come from a fixed pool of 2,000 synthetic passages and queries from a pool of 100; each request draws
-- its query and 10 distinct documents at random, so (query, document) pairs repeat rarely (100 x 2,000 = 200,000
-- possible pairs) and the score cache answers only a few percent of them.
-- Passage lengths are skewed like MS MARCO passages: 15 + 185 u^3 words for u uniform in [0, 1), so 15 to 200
-- words, median 38, mean 61. Set UNIFORM_LENGTHS=1 in the environment for 10 to 100 words, uniform.

local vocabulary = {
  "the", "of", "and", "a", "to", "in", "is", "was", "for", "on", "that", "with", "as", "by", "at", "from",
  "city", "river", "population", "history", "protein", "cell", "energy", "model", "network", "language",
  "museum", "capital", "country", "century", "war", "music", "film", "species", "water", "climate", "market",
  "company", "software", "data", "system", "theory", "school", "church", "island", "mountain", "railway",
  "election", "party", "team", "season", "league", "album", "song", "novel", "author", "painter", "bridge",
  "hospital", "disease", "treatment", "study", "patients", "results", "gene", "expression", "signal",
  "retrieval", "ranking", "query", "document", "search", "engine", "neural", "training", "transformer",
  "berlin", "paris", "london", "river", "ocean", "forest", "desert", "planet", "star", "galaxy", "orbit",
  "army", "empire", "king", "queen", "law", "court", "trade", "bank", "price", "growth", "industry",
}

-- A small LCG so that every wrk thread builds the same pools.
local state = 12345
local function next_int(n)
  state = (state * 1103515245 + 12345) % 2147483648
  return state % n
end

local function sentence(words)
  local out = {}
  for i = 1, words do
    out[i] = vocabulary[next_int(#vocabulary) + 1]
  end
  return table.concat(out, " ")
end

local documents, queries = {}, {}
local uniform = os.getenv("UNIFORM_LENGTHS") == "1"
for i = 1, 2000 do
  local u = next_int(1000000) / 1000000
  documents[i] = sentence(uniform and (10 + next_int(91)) or (15 + math.floor(185 * u * u * u)))
end
for i = 1, 100 do
  queries[i] = sentence(3 + next_int(6))
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local seeded = false

request = function()
  if not seeded then
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
    seeded = true
  end
  local chosen, texts = {}, {}
  while #texts < 10 do
    local d = math.random(#documents)
    if not chosen[d] then
      chosen[d] = true
      texts[#texts + 1] = '"' .. documents[d] .. '"'
    end
  end
  local body = '{"query":"' .. queries[math.random(#queries)] .. '","texts":[' .. table.concat(texts, ",") .. '],"raw_scores":true}'
  return wrk.format(nil, nil, nil, body)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d duration_s=%.3f errors=%d non2xx=%d timeouts=%d p50_ms=%.1f p99_ms=%.1f\n",
    summary.requests, summary.duration / 1e6, errors, summary.errors.status, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
