using RerankKit.Listwise;

namespace RerankKit.Tests.Listwise;

public sealed class PermutationParserTests
{
    private static int[] Order(string? answer, int count) => PermutationParser.Parse(answer, count).Order.ToArray();

    [Fact]
    public void ACleanAnswerIsTakenAsItIs()
    {
        var parsed = PermutationParser.Parse("[2] > [3] > [1]", 3);
        Assert.Equal([1, 2, 0], parsed.Order);
        Assert.False(parsed.Repaired);
    }

    [Fact]
    public void NumbersInSurroundingProseAreNotReadAsIdentifiers()
    {
        var parsed = PermutationParser.Parse("Sure! Ranking the 3 passages for 2024:\n[2] > [3] > [1]\nPassage 1 is off topic.", 3);
        Assert.Equal([1, 2, 0], parsed.Order);
        Assert.False(parsed.Repaired);
    }

    [Fact]
    public void RepeatsKeepTheirFirstPlace()
    {
        var parsed = PermutationParser.Parse("[3] > [1] > [3] > [2] > [1]", 3);
        Assert.Equal([2, 0, 1], parsed.Order);
        Assert.Equal(2, parsed.Duplicates);
        Assert.True(parsed.Repaired);
    }

    [Fact]
    public void MissingPassagesFollowInTheirWindowOrder()
    {
        var parsed = PermutationParser.Parse("[4] > [2]", 5);
        Assert.Equal([3, 1, 0, 2, 4], parsed.Order);
        Assert.Equal(3, parsed.Missing);
    }

    [Fact]
    public void IdentifiersOutOfRangeAreIgnored()
    {
        var parsed = PermutationParser.Parse("[0] > [3] > [7] > [99999999999999999999] > [1]", 3);
        Assert.Equal([2, 0, 1], parsed.Order);
        Assert.Equal(3, parsed.Unknown);
        Assert.Equal(1, parsed.Missing);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("I cannot rank these passages.")]
    public void AnAnswerWithoutIdentifiersKeepsTheWindowAsItWas(string? answer)
    {
        var parsed = PermutationParser.Parse(answer, 4);
        Assert.Equal([0, 1, 2, 3], parsed.Order);
        Assert.Equal(4, parsed.Missing);
    }

    [Fact]
    public void WithoutBracketsTheLongestChainIsRead()
    {
        Assert.Equal([2, 0, 1, 3], Order("Of the 4 passages, ranked: 3 > 1 > 2 > 4", 4));
        Assert.Equal([1, 0], Order("2, 1", 2));
    }

    [Fact]
    public void AReasoningModelsThinkingIsSkipped() =>
        Assert.Equal([0, 2, 1], Order("<think>Maybe [2] > [1]? No, [3] matters more than [2].</think>\n[1] > [3] > [2]", 3));

    [Fact]
    public void EveryAnswerGivesEachPositionExactlyOnce()
    {
        var random = new Random(7);
        string[] pieces = ["[1]", "[2]", "[5]", "[12]", "[0]", " > ", ">", "and", "7", "\n", "[", "]", "[-3]", "[ 4 ]"];
        for (int trial = 0; trial < 500; trial++)
        {
            int count = random.Next(0, 13);
            string answer = string.Concat(Enumerable.Range(0, random.Next(0, 20)).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.Equal(Enumerable.Range(0, count), Order(answer, count).Order());
        }
    }
}
