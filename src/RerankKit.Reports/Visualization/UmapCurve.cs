namespace RerankKit.Visualization;

/// <summary>The a and b of UMAP's low-dimensional kernel 1 / (1 + a d^(2b)), least-squares fitted to
/// 1 below min_dist and exp(-(d - min_dist) / spread) above, on 300 points of [0, 3 spread] (umap-learn's
/// find_ab_params). Levenberg-Marquardt by hand for two parameters rather than a dependency.</summary>
internal static class UmapCurve
{
    public static (double A, double B) Fit(double spread, double minDist)
    {
        if (spread <= 0 || minDist < 0 || minDist > spread)
            throw new ArgumentException($"Need 0 <= min_dist <= spread and spread > 0; got min_dist {minDist}, spread {spread}.");
        const int count = 300;
        var xs = new double[count];
        var ys = new double[count];
        for (int i = 0; i < count; i++)
        {
            xs[i] = 3 * spread * i / (count - 1);
            ys[i] = xs[i] < minDist ? 1 : Math.Exp(-(xs[i] - minDist) / spread);
        }
        double a = 1, b = 1, lambda = 1e-3;
        double cost = Cost(xs, ys, a, b);
        for (int iter = 0; iter < 500; iter++)
        {
            double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
            for (int i = 0; i < count; i++)
            {
                double x = xs[i];
                if (x == 0)
                    continue;
                double p = Math.Pow(x, 2 * b);
                double f = 1 / (1 + a * p);
                double r = f - ys[i];
                double da = -p * f * f;
                double db = -a * p * 2 * Math.Log(x) * f * f;
                jaa += da * da;
                jab += da * db;
                jbb += db * db;
                ga += da * r;
                gb += db * r;
            }
            bool improved = false;
            while (lambda < 1e12)
            {
                double maa = jaa * (1 + lambda), mbb = jbb * (1 + lambda);
                double det = maa * mbb - jab * jab;
                double stepA = -(mbb * ga - jab * gb) / det;
                double stepB = -(maa * gb - jab * ga) / det;
                double trial = Cost(xs, ys, a + stepA, b + stepB);
                if (trial < cost)
                {
                    a += stepA;
                    b += stepB;
                    improved = Math.Abs(cost - trial) > 1e-15 * Math.Max(cost, 1e-300);
                    cost = trial;
                    lambda = Math.Max(lambda / 10, 1e-12);
                    break;
                }
                lambda *= 10;
            }
            if (!improved)
                break;
        }
        return (a, b);
    }

    private static double Cost(double[] xs, double[] ys, double a, double b)
    {
        double sum = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double r = 1 / (1 + a * Math.Pow(xs[i], 2 * b)) - ys[i];
            sum += r * r;
        }
        return double.IsFinite(sum) ? sum : double.PositiveInfinity;
    }
}
