using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using RerankKit.Models;

namespace RerankKit.Tokenization.Json;

/// <summary>The <c>tokenizer.json</c> that transformers' converters (<c>convert_slow_tokenizer.py</c>) build for a folder
/// that holds only the slow tokenizer's files, run by the <see cref="HuggingFaceTokenizer"/> runtime: the folder then
/// tokenizes as the fast tokenizer transformers would load from it.</summary>
internal static class SlowTokenizerConverter
{
    /// <summary>The Qwen2 pre-tokenization pattern of <c>Qwen2Converter</c> (digits one by one).</summary>
    public const string Qwen2Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary><c>BertConverter</c> (BERT, DistilBERT, ELECTRA) or <c>MPNetConverter</c> over <c>vocab.txt</c>:
    /// BertNormalizer with <c>do_lower_case</c>, <c>strip_accents</c> and <c>tokenize_chinese_chars</c>,
    /// BertPreTokenizer, WordPiece (unknown token, at most 100 characters a word) and the <c>[CLS] A [SEP] B [SEP]</c>
    /// template with the second text typed 1.</summary>
    /// <remarks>MPNet's pair is <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c> typed 0 throughout, as the
    /// RobertaProcessing of the MPNet tokenizer.json files on the Hub: MPNetConverter's template would type B 1, but
    /// MPNet takes no token_type_ids, and a folder should tokenize alike with and without its tokenizer.json.</remarks>
    public static HuggingFaceTokenizer WordPiece(string folder, IReadOnlyList<string> vocabulary, TokenizerConfig config, bool mpnet)
    {
        var ids = new Dictionary<string, int>(vocabulary.Count, StringComparer.Ordinal);
        for (int id = 0; id < vocabulary.Count; id++)
            ids[vocabulary[id]] = id;
        var added = SlowTokenizerAddedTokens.Read(folder, t => ids.TryGetValue(t, out int id) ? id : null, vocabulary.Count);
        string cls = config.ClsToken ?? "[CLS]", sep = config.SepToken ?? "[SEP]";
        int clsId = IdOf(folder, cls, ids, added), sepId = IdOf(folder, sep, ids, added);

        return Build(folder, config, w =>
        {
            WriteAddedTokens(w, added);
            w.WriteStartObject("normalizer");
            w.WriteString("type", "BertNormalizer");
            w.WriteBoolean("clean_text", true);
            w.WriteBoolean("handle_chinese_chars", config.TokenizeChineseChars ?? true);
            if (config.StripAccents is { } strip)
                w.WriteBoolean("strip_accents", strip);
            else
                w.WriteNull("strip_accents");
            w.WriteBoolean("lowercase", config.DoLowerCase ?? true);
            w.WriteEndObject();
            w.WriteStartObject("pre_tokenizer");
            w.WriteString("type", "BertPreTokenizer");
            w.WriteEndObject();
            w.WriteStartObject("post_processor");
            if (mpnet)
            {
                w.WriteString("type", "RobertaProcessing");
                WriteTokenAndId(w, "sep", sep, sepId);
                WriteTokenAndId(w, "cls", cls, clsId);
                w.WriteBoolean("trim_offsets", true);
                w.WriteBoolean("add_prefix_space", false);
            }
            else
            {
                WriteTemplate(w, [(cls, 0), (null, 0), (sep, 0)], [(cls, 0), (null, 0), (sep, 0), (null, 1), (sep, 1)],
                    [(cls, clsId), (sep, sepId)]);
            }
            w.WriteEndObject();
            w.WriteStartObject("model");
            w.WriteString("type", "WordPiece");
            w.WriteString("unk_token", config.UnkToken ?? "[UNK]");
            w.WriteString("continuing_subword_prefix", "##");
            w.WriteNumber("max_input_chars_per_word", 100);
            w.WriteStartObject("vocab");
            foreach (var (token, id) in ids)
                w.WriteNumber(token, id);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary><c>Qwen2Converter</c> over <c>vocab.json</c> and <c>merges.txt</c>: NFC, the Qwen2 pattern split
    /// (isolated) then ByteLevel without regex or prefix space (<c>add_prefix_space</c> of tokenizer_config.json), a
    /// byte-level BPE with no unknown token, and the added tokens of tokenizer_config.json; no BOS.</summary>
    /// <param name="appendedEndOfText">The added token to append to each text (the Qwen3-Embedding tokenizer.json's
    /// TemplateProcessing), or null for none, as the converter.</param>
    public static HuggingFaceTokenizer Qwen2(string folder, TokenizerConfig config, bool addPrefixSpace, int? appendedEndOfText)
    {
        var vocab = ReadVocabJson(Path.Combine(folder, "vocab.json"));
        var merges = ReadMerges(Path.Combine(folder, "merges.txt"));
        int next = vocab.Count == 0 ? 0 : vocab.Values.Max() + 1;
        var added = SlowTokenizerAddedTokens.Read(folder, t => vocab.TryGetValue(t, out int id) ? id : null, next);
        string? eos = null;
        if (appendedEndOfText is { } eosId)
            eos = added.FirstOrDefault(t => t.Id == eosId)?.Content
                ?? throw new ModelLoadException($"{folder}: the end-of-text id {eosId} in config.json is not an added token of tokenizer_config.json");

        return Build(folder, config, w =>
        {
            WriteAddedTokens(w, added);
            w.WriteStartObject("normalizer");
            w.WriteString("type", "NFC");
            w.WriteEndObject();
            w.WriteStartObject("pre_tokenizer");
            w.WriteString("type", "Sequence");
            w.WriteStartArray("pretokenizers");
            w.WriteStartObject();
            w.WriteString("type", "Split");
            w.WriteStartObject("pattern");
            w.WriteString("Regex", Qwen2Pattern);
            w.WriteEndObject();
            w.WriteString("behavior", "Isolated");
            w.WriteBoolean("invert", false);
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("type", "ByteLevel");
            w.WriteBoolean("add_prefix_space", addPrefixSpace);
            w.WriteBoolean("use_regex", false);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("post_processor");
            if (eos is null)
            {
                WriteByteLevelProcessor(w);
            }
            else
            {
                w.WriteString("type", "Sequence");
                w.WriteStartArray("processors");
                w.WriteStartObject();
                WriteByteLevelProcessor(w);
                w.WriteEndObject();
                w.WriteStartObject();
                WriteTemplate(w, [(null, 0), (eos, 0)], [(null, 0), (eos, 0), (null, 1), (eos, 1)], [(eos, appendedEndOfText!.Value)]);
                w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteStartObject("model");
            w.WriteString("type", "BPE");
            w.WriteNull("unk_token");
            w.WriteString("continuing_subword_prefix", "");
            w.WriteString("end_of_word_suffix", "");
            w.WriteBoolean("fuse_unk", false);
            w.WriteBoolean("byte_fallback", false);
            w.WriteBoolean("ignore_merges", false);
            w.WriteStartObject("vocab");
            foreach (var (token, id) in vocab)
                w.WriteNumber(token, id);
            w.WriteEndObject();
            w.WriteStartArray("merges");
            foreach (var (a, b) in merges)
            {
                w.WriteStartArray();
                w.WriteStringValue(a);
                w.WriteStringValue(b);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary><c>DebertaV2Converter</c> over <c>spm.model</c>: a Unigram of the pieces and their scores (unknown
    /// piece from the model), the control and user-defined pieces as added tokens with tokenizer_config.json's over
    /// them; normalizers Lowercase (<c>do_lower_case</c>), Strip, the model's Precompiled charsmap and runs of spaces
    /// to one; pre-tokenizers Punctuation (<c>split_by_punct</c>) and Metaspace (prepend always); the
    /// <c>[CLS] A [SEP] B [SEP]</c> template with B typed 1.</summary>
    public static HuggingFaceTokenizer DebertaV2(string folder, TokenizerConfig config, bool splitByPunct)
    {
        var spm = SentencePieceModel.Load(Path.Combine(folder, "spm.model"));
        var ids = new Dictionary<string, int>(spm.Pieces.Count, StringComparer.Ordinal);
        for (int id = 0; id < spm.Pieces.Count; id++)
            ids.TryAdd(spm.Pieces[id].Text, id);
        var byId = new SortedDictionary<int, AddedToken>();
        for (int id = 0; id < spm.Pieces.Count; id++)
        {
            var type = spm.Pieces[id].Type;
            if (type is SentencePieceModel.PieceType.Control or SentencePieceModel.PieceType.UserDefined)
                byId[id] = new AddedToken(id, spm.Pieces[id].Text, type == SentencePieceModel.PieceType.Control);
        }
        // transformers adds tokenizer_config.json's tokens after the converter's; the library keeps the later settings.
        foreach (var t in SlowTokenizerAddedTokens.Read(folder, t => ids.TryGetValue(t, out int id) ? id : null, spm.Pieces.Count))
        {
            if (byId.Values.FirstOrDefault(x => x.Content == t.Content) is { } same)
                byId.Remove(same.Id);
            byId[t.Id] = t;
        }
        var added = byId.Values.ToList();
        string cls = config.ClsToken ?? "[CLS]", sep = config.SepToken ?? "[SEP]";
        int clsId = IdOf(folder, cls, ids, added), sepId = IdOf(folder, sep, ids, added);

        return Build(folder, config, w =>
        {
            WriteAddedTokens(w, added);
            w.WriteStartObject("normalizer");
            w.WriteString("type", "Sequence");
            w.WriteStartArray("normalizers");
            if (config.DoLowerCase == true)
                WriteTyped(w, "Lowercase");
            WriteTyped(w, "Strip", ("strip_left", true), ("strip_right", true));
            if (spm.PrecompiledCharsMap.Length > 0)
            {
                w.WriteStartObject();
                w.WriteString("type", "Precompiled");
                w.WriteString("precompiled_charsmap", Convert.ToBase64String(spm.PrecompiledCharsMap));
                w.WriteEndObject();
            }
            w.WriteStartObject();
            w.WriteString("type", "Replace");
            w.WriteStartObject("pattern");
            w.WriteString("Regex", " {2,}");
            w.WriteEndObject();
            w.WriteString("content", " ");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("pre_tokenizer");
            w.WriteString("type", "Sequence");
            w.WriteStartArray("pretokenizers");
            if (splitByPunct)
            {
                w.WriteStartObject();
                w.WriteString("type", "Punctuation");
                w.WriteString("behavior", "Isolated");
                w.WriteEndObject();
            }
            w.WriteStartObject();
            w.WriteString("type", "Metaspace");
            w.WriteString("replacement", "\u2581");
            w.WriteString("prepend_scheme", "always");
            w.WriteBoolean("split", true);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("post_processor");
            WriteTemplate(w, [(cls, 0), (null, 0), (sep, 0)], [(cls, 0), (null, 0), (sep, 0), (null, 1), (sep, 1)],
                [(cls, clsId), (sep, sepId)]);
            w.WriteEndObject();
            w.WriteStartObject("model");
            w.WriteString("type", "Unigram");
            w.WriteNumber("unk_id", spm.UnkId);
            w.WriteStartArray("vocab");
            foreach (var piece in spm.Pieces)
            {
                w.WriteStartArray();
                w.WriteStringValue(piece.Text);
                w.WriteNumberValue((double)piece.Score);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteBoolean("byte_fallback", false);
            w.WriteEndObject();
        });
    }

    private static void WriteTyped(Utf8JsonWriter w, string type, params (string Name, bool Value)[] flags)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        foreach (var (name, value) in flags)
            w.WriteBoolean(name, value);
        w.WriteEndObject();
    }

    private static HuggingFaceTokenizer Build(string folder, TokenizerConfig config, Action<Utf8JsonWriter> writeSections)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            writeSections(w);
            w.WriteEndObject();
        }
        TokenizerPaddingSide? side = config.PaddingSide switch
        {
            "left" => TokenizerPaddingSide.Left,
            "right" => TokenizerPaddingSide.Right,
            _ => null,
        };
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        try
        {
            return TokenizerJsonReader.Build(doc.RootElement, config.PadToken, side);
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ModelLoadException($"{folder}: the tokenizer built from its vocabulary files is invalid: {e.Message}", e);
        }
    }

    private static int IdOf(string folder, string token, Dictionary<string, int> vocabulary, IReadOnlyList<AddedToken> added) =>
        added.FirstOrDefault(t => t.Content == token)?.Id
        ?? (vocabulary.TryGetValue(token, out int id) ? id : throw new ModelLoadException($"{folder}: the vocabulary has no special token '{token}'"));

    private static void WriteAddedTokens(Utf8JsonWriter w, IReadOnlyList<AddedToken> added)
    {
        w.WriteStartArray("added_tokens");
        foreach (var t in added)
        {
            w.WriteStartObject();
            w.WriteNumber("id", t.Id);
            w.WriteString("content", t.Content);
            w.WriteBoolean("single_word", t.SingleWord);
            w.WriteBoolean("lstrip", t.LStrip);
            w.WriteBoolean("rstrip", t.RStrip);
            w.WriteBoolean("normalized", t.Normalized);
            w.WriteBoolean("special", t.Special);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    // Qwen2Converter's processors.ByteLevel(trim_offsets=False), which changes nothing.
    private static void WriteByteLevelProcessor(Utf8JsonWriter w)
    {
        w.WriteString("type", "ByteLevel");
        w.WriteBoolean("add_prefix_space", true);
        w.WriteBoolean("trim_offsets", false);
        w.WriteBoolean("use_regex", true);
    }

    private static void WriteTokenAndId(Utf8JsonWriter w, string name, string token, int id)
    {
        w.WriteStartArray(name);
        w.WriteStringValue(token);
        w.WriteNumberValue(id);
        w.WriteEndArray();
    }

    // A TemplateProcessing; a null token is the sequence ($A, then $B).
    private static void WriteTemplate(Utf8JsonWriter w, (string? Token, int Type)[] single, (string? Token, int Type)[] pair,
        (string Token, int Id)[] specials)
    {
        w.WriteString("type", "TemplateProcessing");
        WritePieces(w, "single", single);
        WritePieces(w, "pair", pair);
        w.WriteStartObject("special_tokens");
        foreach (var (token, id) in specials.DistinctBy(s => s.Token))
        {
            w.WriteStartObject(token);
            w.WriteString("id", token);
            w.WriteStartArray("ids");
            w.WriteNumberValue(id);
            w.WriteEndArray();
            w.WriteStartArray("tokens");
            w.WriteStringValue(token);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WritePieces(Utf8JsonWriter w, string name, (string? Token, int Type)[] pieces)
    {
        w.WriteStartArray(name);
        int sequence = 0;
        foreach (var (token, type) in pieces)
        {
            w.WriteStartObject();
            w.WriteStartObject(token is null ? "Sequence" : "SpecialToken");
            w.WriteString("id", token ?? (sequence++ == 0 ? "A" : "B"));
            w.WriteNumber("type_id", type);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static Dictionary<string, int> ReadVocabJson(string path)
    {
        using var doc = ModelJson.Read(path);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new ModelLoadException($"{path} must be a JSON object of token ids");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            vocab[entry.Name] = entry.Value.ValueKind == JsonValueKind.Number && entry.Value.TryGetInt32(out int id) && id >= 0
                ? id
                : throw new ModelLoadException($"{path}: the id of '{entry.Name}' is not a non-negative integer");
        }
        return vocab;
    }

    // As Qwen2Tokenizer reads it: the "#version" first line and blank lines skipped, each other line two tokens.
    private static List<(string, string)> ReadMerges(string path)
    {
        var merges = new List<(string, string)>(160_000);
        int number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            string line = raw.Trim();
            if ((number == 1 && line.StartsWith("#version:", StringComparison.Ordinal)) || line.Length == 0)
                continue;
            string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
                throw new ModelLoadException($"{path} line {number} is not two tokens separated by a space");
            merges.Add((parts[0], parts[1]));
        }
        return merges;
    }
}
