using RerankKit.Engine;

namespace RerankKit.Tests.Engine;

/// <summary>Each op's backward against central finite differences of loss = Σ R ⊙ output for random R.</summary>
public sealed class OpGradientTests
{
    [Fact]
    public void Linear_backward_matches_finite_differences()
    {
        const int n = 5, c = 7, oc = 6;
        var x = GradientCheck.Random(n * c, 1);
        var w = GradientCheck.Random(oc * c, 2);
        var b = GradientCheck.Random(oc, 3);
        var r = GradientCheck.Random(n * oc, 4);
        var y = new float[n * oc];
        double Loss()
        {
            Linear.Forward(x, w, b, y, n, c, oc);
            return GradientCheck.Weighted(y, r);
        }
        var dx = new float[n * c];
        var dw = new float[oc * c];
        var db = new float[oc];
        Linear.Backward(r, x, w, dx, dw, db, n, c, oc);
        GradientCheck.Check(Loss, x, dx, "dx");
        GradientCheck.Check(Loss, w, dw, "dW");
        GradientCheck.Check(Loss, b, db, "db");
    }

    [Fact]
    public void Matmul_blocked_kernel_equals_naive_product_on_ragged_shapes()
    {
        foreach (var (m, n, k) in new[] { (1, 1, 1), (5, 7, 3), (9, 70, 33), (67, 130, 100), (128, 64, 384), (34, 1100, 40), (300, 70, 60) })
        {
            var a = GradientCheck.Random(m * k, m);
            var b = GradientCheck.Random(n * k, n);
            var c = new float[m * n];
            MatMul.ABt(a, 0, k, b, 0, k, c, 0, n, m, n, k);
            var linear = new float[m * n];
            Linear.Forward(a, b, null, linear, m, k, n);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int q = 0; q < k; q++)
                        s += (double)a[i * k + q] * b[j * k + q];
                    Assert.True(Math.Abs(s - c[i * n + j]) <= 1e-4 * Math.Max(1, Math.Abs(s)), $"{m}x{n}x{k} at ({i},{j}): {c[i * n + j]} vs {s}");
                    Assert.True(Math.Abs(s - linear[i * n + j]) <= 1e-4 * Math.Max(1, Math.Abs(s)), $"linear {m}x{n}x{k} at ({i},{j})");
                }
        }
    }

    [Fact]
    public void Matmul_outer_product_kernel_equals_naive_product_with_transposed_a_accumulate_and_alpha()
    {
        foreach (var (m, n, k) in new[] { (1, 1, 1), (5, 33, 3), (9, 70, 33), (67, 130, 100), (130, 64, 384), (34, 1100, 40), (300, 70, 60) })
        {
            var a = GradientCheck.Random(m * k, m);
            var b = GradientCheck.Random(k * n, n);
            var c = GradientCheck.Random(m * n, k);
            var c0 = (float[])c.Clone();
            var aT = new float[k * m];
            MatMul.Transpose(a, 0, k, m, k, aT, 0, m);
            MatMul.AB(a, 0, k, 1, b, 0, n, c, 0, n, m, n, k, accumulate: true, alpha: 0.5f);
            var fromTransposed = new float[m * n];
            MatMul.AB(aT, 0, 1, m, b, 0, n, fromTransposed, 0, n, m, n, k);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int q = 0; q < k; q++)
                        s += (double)a[i * k + q] * b[q * n + j];
                    double expected = c0[i * n + j] + 0.5 * s;
                    Assert.True(Math.Abs(expected - c[i * n + j]) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"{m}x{n}x{k} at ({i},{j}): {c[i * n + j]} vs {expected}");
                    Assert.True(Math.Abs(s - fromTransposed[i * n + j]) <= 1e-4 * Math.Max(1, Math.Abs(s)), $"transposed A {m}x{n}x{k} at ({i},{j})");
                }
        }
    }

    [Fact]
    public void LayerNorm_backward_matches_finite_differences()
    {
        const int n = 4, c = 9;
        var x = GradientCheck.Random(n * c, 5, 2f);
        var g = GradientCheck.Random(c, 6);
        var beta = GradientCheck.Random(c, 7);
        var r = GradientCheck.Random(n * c, 8);
        var y = new float[n * c];
        var mean = new float[n];
        var rstd = new float[n];
        double Loss()
        {
            LayerNorm.Forward(x, g, beta, y, mean, rstd, n, c, 1e-5f);
            return GradientCheck.Weighted(y, r);
        }
        Loss();
        var dx = new float[n * c];
        var dg = new float[c];
        var db = new float[c];
        LayerNorm.Backward(r, x, g, mean, rstd, dx, dg, db, n, c);
        GradientCheck.Check(Loss, x, dx, "dx");
        GradientCheck.Check(Loss, g, dg, "dGamma");
        GradientCheck.Check(Loss, beta, db, "dBeta");
    }

    [Theory]
    [InlineData(GeluKind.Erf)]
    [InlineData(GeluKind.Tanh)]
    public void Gelu_backward_matches_finite_differences(GeluKind kind)
    {
        var x = GradientCheck.Random(37, 9, 4f);
        var r = GradientCheck.Random(37, 10);
        var y = new float[37];
        double Loss()
        {
            Gelu.Forward(x, y, kind);
            return GradientCheck.Weighted(y, r);
        }
        var dx = new float[37];
        Gelu.Backward(x, r, dx, kind);
        GradientCheck.Check(Loss, x, dx, $"gelu {kind}", samples: 37);
    }

    [Theory]
    [InlineData(-3.0, -0.00404969409489031)]
    [InlineData(-0.5, -0.15426876936299344)]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(2.5, 2.4844758366855597)]
    public void Gelu_erf_form_matches_reference_values(double x, double expected)
    {
        // Reference: x · Φ(x) from the standard normal CDF.
        Assert.Equal(expected, Gelu.Scalar((float)x, GeluKind.Erf), 1e-6);
        var y = new float[16];
        Gelu.Forward(Enumerable.Repeat((float)x, 16).ToArray(), y, GeluKind.Erf);
        Assert.All(y, v => Assert.Equal(expected, v, 1e-6));
    }

    [Theory]
    [InlineData(-3.0, -0.0036373920817729943)]
    [InlineData(1.0, 0.8411919906082768)]
    [InlineData(2.5, 2.484915733910001)]
    public void Gelu_tanh_form_matches_reference_values(double x, double expected)
    {
        // Reference: 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³))) evaluated in double.
        double reference = 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        Assert.Equal(reference, Gelu.Scalar((float)x, GeluKind.Tanh), 1e-6);
        var y = new float[16];
        Gelu.Forward(Enumerable.Repeat((float)x, 16).ToArray(), y, GeluKind.Tanh);
        Assert.All(y, v => Assert.Equal(reference, v, 1e-6));
        Assert.Equal(expected, reference, 1e-12);
    }

    [Fact]
    public void Masked_softmax_attention_backward_matches_finite_differences()
    {
        const int b = 2, t = 5, h = 8, heads = 2;
        var q = GradientCheck.Random(b * t * h, 11);
        var k = GradientCheck.Random(b * t * h, 12);
        var v = GradientCheck.Random(b * t * h, 13);
        int[] mask = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
        var r = GradientCheck.Random(b * t * h, 14);
        var probs = new float[b * heads * t * t];
        var ctx = new float[b * t * h];
        double Loss()
        {
            Attention.Forward(q, k, v, mask, probs, ctx, b, t, h, heads);
            return GradientCheck.Weighted(ctx, r);
        }
        Loss();
        for (int head = 0; head < heads; head++)
            for (int row = 0; row < t; row++)
            {
                int off = ((1 * heads + head) * t + row) * t;
                Assert.Equal(0f, probs[off + 3]);
                Assert.Equal(0f, probs[off + 4]);
                Assert.Equal(1.0, probs.AsSpan(off, t).ToArray().Sum(), 1e-5);
            }
        var dq = new float[q.Length];
        var dk = new float[k.Length];
        var dv = new float[v.Length];
        Attention.Backward(r, q, k, v, probs, dq, dk, dv, b, t, h, heads);
        GradientCheck.Check(Loss, q, dq, "dQ", samples: 40);
        GradientCheck.Check(Loss, k, dk, "dK", samples: 40);
        GradientCheck.Check(Loss, v, dv, "dV", samples: 40);
        for (int i = (1 * t + 3) * h; i < 2 * t * h; i++)
        {
            Assert.Equal(0f, dk[i]);
            Assert.Equal(0f, dv[i]);
        }
    }

    [Fact]
    public void Embeddings_backward_matches_finite_differences()
    {
        const int h = 6, vocab = 5, maxPos = 4, types = 2;
        var word = GradientCheck.Random(vocab * h, 15);
        var pos = GradientCheck.Random(maxPos * h, 16);
        var type = GradientCheck.Random(types * h, 17);
        int[] ids = [3, 1, 3, 0];
        int[] positions = [0, 1, 2, 3];
        int[] typeIds = [0, 0, 1, 1];
        var inputs = GradientCheck.Random(ids.Length * h, 18);
        var r = GradientCheck.Random(ids.Length * h, 19);
        var y = new float[ids.Length * h];
        double LossLookup()
        {
            Embeddings.Forward(word, pos, type, ids, positions, typeIds, null, y, h);
            return GradientCheck.Weighted(y, r);
        }
        double LossFed()
        {
            Embeddings.Forward(word, pos, type, ids, positions, typeIds, inputs, y, h);
            return GradientCheck.Weighted(y, r);
        }
        var dWord = new float[word.Length];
        var dPos = new float[pos.Length];
        var dType = new float[type.Length];
        var dInputs = new float[inputs.Length];
        Embeddings.Backward(r, ids, positions, typeIds, dWord, dPos, dType, dInputs, h);
        GradientCheck.Check(LossLookup, word, dWord, "dWord", samples: 30);
        GradientCheck.Check(LossLookup, pos, dPos, "dPosition", samples: 24);
        GradientCheck.Check(LossLookup, type, dType, "dType", samples: 12);
        GradientCheck.Check(LossFed, inputs, dInputs, "dInputs", samples: 24);
    }

    [Fact]
    public void Tanh_dense_head_backward_matches_finite_differences()
    {
        const int b = 3, h = 5, labels = 2;
        var x = GradientCheck.Random(b * h, 20, 2f);
        var w1 = GradientCheck.Random(h * h, 21);
        var b1 = GradientCheck.Random(h, 22);
        var w2 = GradientCheck.Random(labels * h, 23);
        var b2 = GradientCheck.Random(labels, 24);
        var r = GradientCheck.Random(b * labels, 25);
        var hidden = new float[b * h];
        var logits = new float[b * labels];
        double Loss()
        {
            Linear.Forward(x, w1, b1, hidden, b, h, h);
            TanhActivation.Forward(hidden, hidden);
            Linear.Forward(hidden, w2, b2, logits, b, h, labels);
            return GradientCheck.Weighted(logits, r);
        }
        Loss();
        var dHidden = new float[b * h];
        var dW2 = new float[w2.Length];
        var dB2 = new float[b2.Length];
        Linear.Backward(r, hidden, w2, dHidden, dW2, dB2, b, h, labels);
        var dPre = new float[b * h];
        TanhActivation.Backward(hidden, dHidden, dPre);
        var dx = new float[x.Length];
        var dW1 = new float[w1.Length];
        var dB1 = new float[b1.Length];
        Linear.Backward(dPre, x, w1, dx, dW1, dB1, b, h, h);
        GradientCheck.Check(Loss, x, dx, "dx");
        GradientCheck.Check(Loss, w1, dW1, "dW pooler");
        GradientCheck.Check(Loss, b1, dB1, "db pooler");
        GradientCheck.Check(Loss, w2, dW2, "dW classifier");
        GradientCheck.Check(Loss, b2, dB2, "db classifier");
    }

    [Fact]
    public void Mean_pooling_and_normalisation_backward_match_finite_differences()
    {
        const int b = 2, t = 4, h = 5;
        var x = GradientCheck.Random(b * t * h, 26);
        int[] mask = [1, 1, 1, 0, 1, 1, 0, 0];
        var r = GradientCheck.Random(b * h, 27);
        var pooled = new float[b * h];
        var normed = new float[b * h];
        double Loss()
        {
            Pooling.MeanForward(x, mask, pooled, b, t, h);
            Pooling.L2NormalizeForward(pooled, normed, b, h);
            return GradientCheck.Weighted(normed, r);
        }
        Loss();
        var dPooled = new float[b * h];
        Pooling.L2NormalizeBackward(pooled, normed, r, dPooled, b, h);
        var dx = new float[x.Length];
        Pooling.MeanBackward(dPooled, mask, dx, b, t, h);
        GradientCheck.Check(Loss, x, dx, "dHidden", samples: 40);
        Assert.All(dx.AsSpan(3 * h, h).ToArray(), v => Assert.Equal(0f, v));
    }
}
