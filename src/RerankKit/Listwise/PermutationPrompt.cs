using Microsoft.Extensions.AI;

namespace RerankKit.Listwise;

/// <summary>RankGPT's permutation prompt, as a conversation: the task, then each passage as its own user turn
/// (<c>[1] text</c>) acknowledged by the assistant, then the query again with the answer format
/// <c>[2] &gt; [1] &gt; ...</c>. Giving passages one turn each, with the query repeated at the end, is what the
/// RankGPT paper found to work for chat models.</summary>
public static class PermutationPrompt
{
    /// <summary>The messages for one window; passages are numbered from 1 in the order given.</summary>
    public static IList<ChatMessage> Build(string query, IReadOnlyList<string> passages, int maxPassageWords)
    {
        int n = passages.Count;
        var messages = new List<ChatMessage>(2 * n + 4)
        {
            new(ChatRole.System, "You are RankGPT, an assistant that ranks passages by how relevant they are to a search query."),
            new(ChatRole.User, $"I will give you {n} passages, each marked with a number in brackets []. Rank them by their relevance to the query: {query}."),
            new(ChatRole.Assistant, "Okay, please provide the passages."),
        };
        for (int i = 0; i < n; i++)
        {
            messages.Add(new ChatMessage(ChatRole.User, $"[{i + 1}] {Truncate(passages[i], maxPassageWords)}"));
            messages.Add(new ChatMessage(ChatRole.Assistant, $"Received passage [{i + 1}]."));
        }
        messages.Add(new ChatMessage(ChatRole.User,
            $"Search query: {query}.\nRank the {n} passages above by their relevance to the search query, most relevant first, " +
            "using their identifiers. The answer format is [] > [], e.g. [2] > [1]. Answer with the ranking only, without any other words or explanation."));
        return messages;
    }

    /// <summary>The first <paramref name="maxWords"/> whitespace-separated words, joined by single spaces (RankGPT
    /// counts words, not tokens, so the prompt needs no tokenizer of the remote model).</summary>
    public static string Truncate(string passage, int maxWords)
    {
        var words = passage.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Length > maxWords ? words[..maxWords] : words);
    }
}
