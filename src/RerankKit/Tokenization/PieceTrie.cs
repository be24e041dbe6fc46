namespace RerankKit.Tokenization;

/// <summary>The pieces of a Unigram vocabulary as a trie over UTF-16 code units, so a lattice finds every piece
/// starting at a position in one walk. Node 0 is the root; a node's piece id is -1 where no piece ends.</summary>
internal sealed class PieceTrie
{
    private readonly Dictionary<long, int> _children = [];
    private readonly List<int> _nodePiece = [-1];

    /// <summary>Adds <paramref name="text"/> as piece <paramref name="id"/>; the first id given for a text stays.</summary>
    public void Insert(string text, int id)
    {
        int node = 0;
        foreach (char c in text)
        {
            long key = Key(node, c);
            if (!_children.TryGetValue(key, out int child))
            {
                child = _nodePiece.Count;
                _nodePiece.Add(-1);
                _children[key] = child;
            }
            node = child;
        }
        if (_nodePiece[node] < 0)
            _nodePiece[node] = id;
    }

    /// <summary>Moves from <paramref name="node"/> along <paramref name="c"/>; false where no piece continues so.</summary>
    public bool TryStep(ref int node, char c) => _children.TryGetValue(Key(node, c), out node);

    /// <summary>The id of the piece ending at <paramref name="node"/>, or -1.</summary>
    public int PieceAt(int node) => _nodePiece[node];

    private static long Key(int node, char c) => ((long)node << 16) | c;
}
