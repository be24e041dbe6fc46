using RerankKit.Visualization;

namespace RerankKit.Tests.Visualization;

public class TrustworthinessTests
{
    private static readonly float[][] Line = [[0], [1], [3], [7], [12], [20]];

    [Fact]
    public void Identical_layout_is_fully_trustworthy()
    {
        var embedded = Line.Select(p => new double[] { p[0], 0 }).ToArray();

        Assert.Equal(1.0, Trustworthiness.Compute(Line, embedded, k: 2), 12);
    }

    [Fact]
    public void Swapping_the_two_ends_matches_the_hand_computed_value()
    {
        // Points 0 and 5 trade places. Map 2-NN and their input ranks r (penalty max(0, r - 2)):
        // 0: {4 (r4), 3 (r3)} = 3; 1: {5 (r5), 2 (r2)} = 3; 2: {1 (r1), 5 (r5)} = 3; 3: {2 (r1), 4 (r2)} = 0;
        // 4: {3 (r1), 0 (r5)} = 3; 5: {1 (r4), 2 (r3)} = 3. Sum 15; T = 1 - 15 * 2 / (6 * 2 * (12 - 6 - 1)) = 0.5.
        double[] x = [20, 1, 3, 7, 12, 0];
        var embedded = x.Select(v => new[] { v, 0.0 }).ToArray();

        Assert.Equal(0.5, Trustworthiness.Compute(Line, embedded, k: 2), 12);
    }

    [Theory]
    [InlineData(5, 0.927)]
    [InlineData(10, 0.9388563685636856)]
    public void Matches_scikit_learn_on_a_projection_to_two_input_axes(int k, double sklearn)
    {
        // Values from sklearn.manifold.trustworthiness 1.2.1 on the same points (exported as CSV), embedding x[:, :2].
        var (points, _) = SyntheticClusters.Generate(200, 4, 8, seed: 3);
        var embedded = points.Select(p => new double[] { p[0], p[1] }).ToArray();

        Assert.Equal(sklearn, Trustworthiness.Compute(points, embedded, k), 12);
    }

    [Fact]
    public void Rejects_k_of_half_the_points_or_more()
    {
        var embedded = Line.Select(p => new double[] { p[0], 0 }).ToArray();

        Assert.Throws<ArgumentException>(() => Trustworthiness.Compute(Line, embedded, k: 3));
    }
}
