using System.Security.Cryptography;
using RerankKit.Tests.Infrastructure;
using RerankKit.Tokenization;
using RerankKit.Tokenization.Json;
using Xunit.Abstractions;

namespace RerankKit.Tests.Tokenization.Json;

/// <summary>Model folders copied without their tokenizer.json, so that only vocab.txt, vocab.json + merges.txt or
/// spm.model and the config files remain (BERT, ELECTRA, MPNet, ColBERT WordPiece; Qwen3 byte-level BPE; DeBERTa-v3
/// Unigram), loaded through
/// <see cref="TokenizerFactory"/>. The truth is tools/tokenizer-oracle/folders.mjs: the official tokenizers library
/// (npm 0.23.2) running the tokenizer.json transformers' converter builds from those files, on the oracle inputs
/// (1,024 texts with random Unicode from every plane, 400 pairs, 360 truncation cases).</summary>
public sealed class FolderWithoutTokenizerJsonTests(ITestOutputHelper output)
{
    public static TheoryData<string> Folders => new(OracleGolden.FolderIndex().Select(e => e.Name));

    public static TheoryData<string> FoldersWithTokenizerJson =>
        new(OracleGolden.FolderIndex().Where(e => e.DiffersFromTokenizerJson is not null).Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Folders))]
    public void The_folder_tokenizes_as_the_official_library_runs_the_converted_tokenizer(string name)
    {
        var (_, folder, _) = OracleGolden.FolderIndex().Single(e => e.Name == name);
        using var golden = OracleGolden.Read(Path.Combine("Folders", name + ".json.gz"));
        WithoutTokenizerJson(folder, tokenizer =>
        {
            var (compared, differences) = OracleRun.Full(Pipeline(tokenizer), golden.RootElement);
            var (inputs, inputDifferences) = OracleRun.ModelInputs(tokenizer, golden.RootElement);

            var unexpected = differences.Where(d => !d.IsKnownOffsetDifference).Concat(inputDifferences).ToList();
            output.WriteLine($"{name} ({tokenizer.GetType().Name}): pipeline {compared - differences.Count}/{compared} equal " +
                $"({differences.Count(d => d.IsKnownOffsetDifference)} known offset differences); model inputs {inputs - inputDifferences.Count}/{inputs} equal");
            Assert.True(compared >= 2800 && inputs >= 1400, $"only {compared} and {inputs} comparisons");
            Assert.True(unexpected.Count == 0, $"{unexpected.Count} differ:\n" + string.Join("\n", unexpected.Take(8)));
        });
    }

    /// <summary>Where the folder ships a tokenizer.json, the pipeline built without it may differ from that file only
    /// on the cases where the library itself gives the two different results (all-mpnet-base-v2's tokenizer.json
    /// has an added token "&lt;unk&gt;" that no other file of the folder names).</summary>
    [Theory]
    [MemberData(nameof(FoldersWithTokenizerJson))]
    public void Against_the_folder_tokenizer_json_only_the_cases_the_library_tells_apart_differ(string name)
    {
        var (_, folder, differsFromTokenizerJson) = OracleGolden.FolderIndex().Single(e => e.Name == name);
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(SharedData.Get(Path.Combine(folder, "tokenizer.json")))));
        string goldenName = OracleGolden.NameOfFile(sha);
        using var golden = OracleGolden.Read($"{goldenName}.json.gz");
        WithoutTokenizerJson(folder, tokenizer =>
        {
            var (compared, differences) = OracleRun.Full(Pipeline(tokenizer), golden.RootElement);

            var differing = differences.Where(d => !d.IsKnownOffsetDifference).ToList();
            output.WriteLine($"{name}: equal to its own tokenizer.json (golden {goldenName}) on {compared - differing.Count}/{compared}");
            foreach (var d in differing)
                output.WriteLine("differs: " + d);
            Assert.Equal(differsFromTokenizerJson!.Order(), differing.Select(d => d.Case).Order());
        });
    }

    private static HuggingFaceTokenizer Pipeline(ITextTokenizer tokenizer) =>
        tokenizer as HuggingFaceTokenizer ?? Assert.IsType<WordPieceTokenizer>(tokenizer).Pipeline
        ?? throw new InvalidOperationException("the WordPiece tokenizer has no pipeline for added tokens");

    private static void WithoutTokenizerJson(string folder, Action<ITextTokenizer> test)
    {
        string source = SharedData.Get(folder);
        string copy = Directory.CreateTempSubdirectory("rerankkit-slow-tok-").FullName;
        try
        {
            foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(source, file);
                if (relative == "tokenizer.json")
                    continue;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, relative))!);
                File.Copy(file, Path.Combine(copy, relative));
            }
            test(TokenizerFactory.FromFolder(copy));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
