namespace RerankKit.Explain;

/// <summary>An encoded image (PNG or GIF) and the size and frame count it was drawn at.</summary>
public sealed record Figure(byte[] Bytes, int Width, int Height, int Frames = 1);
