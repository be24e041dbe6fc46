using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Cli;

/// <summary>User errors: one line on stderr, exit code 2, no stack trace, nothing on stdout.</summary>
public class ModelCommandErrorTests
{
    private static void AssertUserError(CliProcess.Result run, string expected)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        string[] lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {run.Stderr}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    private static string Pairs(ScratchFolder dir) => dir.Write("pairs.jsonl", "{\"query\":\"q\",\"document\":\"d\"}\n");

    [Fact]
    public void MissingFolder()
    {
        using var dir = new ScratchFolder();
        AssertUserError(CliProcess.Run("score", "--model", "/no/such/model", "--pairs", Pairs(dir)), "model folder not found: /no/such/model");
    }

    [Fact]
    public void HubIdNotCachedWhileOffline()
    {
        using var dir = new ScratchFolder();
        AssertUserError(CliProcess.Run("score", "--model", "cross-encoder/ms-marco-MiniLM-L6-v2", "--pairs", Pairs(dir)), "HF_HUB_OFFLINE");
    }

    [Fact]
    public void MissingWeights()
    {
        using var dir = new ScratchFolder();
        AssertUserError(CliProcess.Run("score", "--model", SharedData.Model("ms-marco-MiniLM-L6-v2"), "--pairs", Pairs(dir)), "ONNX weights not found");
    }

    [Fact]
    public void NativeEngineWithoutSafetensorsWeights()
    {
        using var dir = new ScratchFolder();
        AssertUserError(CliProcess.Run("score", "--model", SharedData.Model("ms-marco-MiniLM-L6-v2"), "--pairs", Pairs(dir), "--engine", "native"),
            "has no model.safetensors");
    }

    [Fact]
    public void MissingOnnxVariantListsTheAvailableOnes()
    {
        using var dir = new ScratchFolder();
        AssertUserError(CliProcess.Run("score", "--model", SharedData.Fixture("tiny-bert-reranker"), "--pairs", Pairs(dir), "--onnx-file", "onnx/model_qint8_avx512_vnni.onnx"),
            "available: onnx/model.onnx");
    }

    [Fact]
    public void MalformedJsonlNamesTheLine()
    {
        using var dir = new ScratchFolder();
        string file = dir.Write("pairs.jsonl", "{\"query\":\"q\",\"document\":\"d\"}\n\n{\"query\": \"q\", \"document\": \n");
        AssertUserError(CliProcess.Run("score", "--model", SharedData.Fixture("tiny-bert-reranker"), "--pairs", file), "pairs.jsonl:3: malformed JSON");
    }

    [Fact]
    public void JsonlLineWithoutTheFieldNamesTheLine()
    {
        using var dir = new ScratchFolder();
        string file = dir.Write("docs.jsonl", "{\"text\":\"a\"}\n{\"title\":\"b\"}\n");
        AssertUserError(CliProcess.Run("rerank", "--model", SharedData.Fixture("tiny-bert-reranker"), "-q", "q", "--docs", file), "docs.jsonl:2: missing string field \"text\"");
    }

    [Fact]
    public void UnknownArchitecture()
    {
        using var dir = new ScratchFolder();
        dir.Write("model/config.json", """{"model_type":"gpt2","architectures":["GPT2LMHeadModel"]}""");
        AssertUserError(CliProcess.Run("rerank", "--model", Path.Combine(dir.Path, "model"), "-q", "q", "--doc", "d"), "unknown architecture GPT2LMHeadModel");
    }

    [Fact]
    public void CrossEncoderGivenToEmbed()
    {
        AssertUserError(CliProcess.Run("embed", "--model", SharedData.Fixture("tiny-bert-reranker"), "--text", "t"), "is a cross-encoder");
    }

    [Theory]
    [InlineData("--activation", "softmax", "unknown activation 'softmax'")]
    [InlineData("--batch-size", "0", "--batch-size must be at least 1")]
    [InlineData("--engine", "gpu", "unknown engine 'gpu'")]
    [InlineData("--max-length", "100000", "max length 100000 is out of range")]
    [InlineData("--bogus", "1", "--bogus")]
    public void BadOption(string option, string value, string expected)
    {
        AssertUserError(CliProcess.Run("rerank", "--model", SharedData.Fixture("tiny-bert-reranker"), "-q", "q", "--doc", "d", option, value), expected);
    }

    [Fact]
    public void CudaWithoutTheGpuBuildOfOnnxRuntime()
    {
        using var dir = new ScratchFolder();
        AssertUserError(CliProcess.Run("score", "--model", SharedData.Fixture("tiny-bert-reranker"), "--pairs", Pairs(dir), "--device", "cuda"),
            "CUDA execution provider is not available");
    }

    [Fact]
    public void UnknownDevice()
    {
        using var dir = new ScratchFolder();
        AssertUserError(CliProcess.Run("score", "--model", SharedData.Fixture("tiny-bert-reranker"), "--pairs", Pairs(dir), "--device", "tpu"),
            "unknown device 'tpu'");
    }
}
