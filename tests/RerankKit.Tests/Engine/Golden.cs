using System.Text.Json;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Engine;

/// <summary>Reads a fixture's golden.json (float64 reference outputs).</summary>
internal sealed class Golden
{
    private static readonly Dictionary<string, Golden> Cache = new();

    public JsonElement Root { get; }
    public string Folder { get; }

    private Golden(string folder)
    {
        Folder = folder;
        Root = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "golden.json"))).RootElement;
    }

    public static Golden Of(string fixture)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(fixture, out var g))
                Cache[fixture] = g = new Golden(SharedData.Fixture(fixture));
            return g;
        }
    }

    public IEnumerable<JsonElement> Cases => Root.GetProperty("cases").EnumerateArray();

    public IEnumerable<JsonElement> Explain => Root.GetProperty("explain").EnumerateArray();

    public static int[] Ints(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.EnumerateArray().Select(x => x.GetInt32()).ToArray() : [];

    public static double[] Flat(JsonElement e)
    {
        var result = new List<double>();
        void Walk(JsonElement x)
        {
            if (x.ValueKind == JsonValueKind.Array)
                foreach (var c in x.EnumerateArray())
                    Walk(c);
            else
                result.Add(x.GetDouble());
        }
        Walk(e);
        return result.ToArray();
    }

    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            if (d > worst)
            {
                worst = d;
                at = i;
            }
        }
        Assert.True(worst <= tolerance, $"{what}: max |diff| {worst:E3} at {at} (expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)}) exceeds {tolerance:E1}");
    }
}
