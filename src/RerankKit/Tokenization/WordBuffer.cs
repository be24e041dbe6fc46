namespace RerankKit.Tokenization;

/// <summary>Words of one text stored back to back in a growable char array, reused between calls.</summary>
internal sealed class WordBuffer
{
    private char[] _chars = new char[256];
    private int _length;
    private int _wordStart;
    private readonly List<(int Start, int Length)> _words = [];

    public int Count => _words.Count;

    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            var (start, length) = _words[index];
            return _chars.AsSpan(start, length);
        }
    }

    public void Clear()
    {
        _length = 0;
        _wordStart = 0;
        _words.Clear();
    }

    public void Append(char c)
    {
        if (_length == _chars.Length)
            Array.Resize(ref _chars, _chars.Length * 2);
        _chars[_length++] = c;
    }

    public void Append(ReadOnlySpan<char> s)
    {
        if (_length + s.Length > _chars.Length)
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + s.Length));
        s.CopyTo(_chars.AsSpan(_length));
        _length += s.Length;
    }

    public void EndWord()
    {
        if (_length > _wordStart)
            _words.Add((_wordStart, _length - _wordStart));
        _wordStart = _length;
    }

    /// <summary>Adds <paramref name="c"/> as a word of its own.</summary>
    public void AddSingle(char c)
    {
        EndWord();
        Append(c);
        EndWord();
    }

    public void AddSingle(ReadOnlySpan<char> s)
    {
        EndWord();
        Append(s);
        EndWord();
    }
}
