using Microsoft.Extensions.AI;
using RerankKit.Listwise;

namespace RerankKit.Tests.Listwise;

public sealed class PermutationPromptTests
{
    [Fact]
    public void EachPassageIsANumberedUserTurnAcknowledgedByTheAssistantAndTheQueryComesLastWithTheFormat()
    {
        var messages = PermutationPrompt.Build("berlin population", ["Berlin has 3.5 million.", "Museums."], maxPassageWords: 300);
        Assert.Equal(
            [ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant, ChatRole.User],
            messages.Select(m => m.Role));
        Assert.Contains("2 passages", messages[1].Text);
        Assert.Contains("berlin population", messages[1].Text);
        Assert.Equal("[1] Berlin has 3.5 million.", messages[3].Text);
        Assert.Equal("Received passage [1].", messages[4].Text);
        Assert.Equal("[2] Museums.", messages[5].Text);
        Assert.StartsWith("Search query: berlin population.", messages[^1].Text);
        Assert.Contains("[2] > [1]", messages[^1].Text);
    }

    [Fact]
    public void PassagesAreCutToTheirFirstWordsWithWhitespaceCollapsed()
    {
        Assert.Equal("one two three", PermutationPrompt.Truncate("  one\ttwo\n\nthree four five ", 3));
        Assert.Equal("one two", PermutationPrompt.Truncate("one   two", 3));
        var messages = PermutationPrompt.Build("q", [string.Join(' ', Enumerable.Range(0, 500).Select(i => $"w{i}"))], maxPassageWords: 300);
        Assert.Equal("[1] " + string.Join(' ', Enumerable.Range(0, 300).Select(i => $"w{i}")), messages[3].Text);
    }
}
