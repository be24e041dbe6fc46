using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RerankKit.Caching;

/// <summary>Identifies one (model, query, document) score by a 128-bit hash of the three strings, so a cache
/// holds fixed-size keys whatever the text lengths and replicas sharing a cache agree on keys.</summary>
public readonly record struct ScoreKey(UInt128 Hash)
{
    public static ScoreKey For(string model, string query, string document)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(document);
        // Length prefixes keep ("ab","c") and ("a","bc") apart; SHA-256 because a shared cache must not collide.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (string part in (ReadOnlySpan<string>)[model, query, document])
        {
            byte[] bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return new ScoreKey(BinaryPrimitives.ReadUInt128BigEndian(digest));
    }

    public override string ToString() => Hash.ToString("x32");
}
