namespace RerankKit.Tokenization;

/// <summary>Which end of a sequence padding goes to in a batch (<c>padding_side</c>); decoder LLMs pad on the left
/// so that the last position holds the last real token.</summary>
public enum TokenizerPaddingSide
{
    Right,
    Left,
}
