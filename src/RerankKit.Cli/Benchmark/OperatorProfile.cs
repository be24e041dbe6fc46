using System.Text.Json;

namespace RerankKit.Inference.Benchmark;

/// <summary>Where a session's time goes: ONNX Runtime's profiler trace (Chrome trace JSON) summed by operator type.</summary>
public sealed record OperatorProfile(string TraceFile, double RunMilliseconds, IReadOnlyList<OperatorProfile.Operator> Operators)
{
    /// <summary>One operator type's kernel time over the whole trace.</summary>
    public sealed record Operator(string OpType, double Milliseconds, int Calls);

    /// <summary>Kernel time of every operator; the rest of <see cref="RunMilliseconds"/> is the executor's own.</summary>
    public double KernelMilliseconds => Operators.Sum(o => o.Milliseconds);

    /// <summary>Runs every batch once on a session with the profiler on and reads the trace it writes.</summary>
    public static OperatorProfile Record(string onnxPath, int? threads, IReadOnlyList<TokenBatch> batches, string prefix)
    {
        string trace;
        using (var session = new BareSession(onnxPath, threads, batches, prefix))
        {
            session.RunAll();
            trace = session.EndProfiling();
        }
        return Read(trace);
    }

    /// <summary>Sums the trace's <c>*_kernel_time</c> node events by their <c>op_name</c>, and its <c>model_run</c>
    /// events; fences and session setup are left out.</summary>
    public static OperatorProfile Read(string traceFile)
    {
        using var trace = JsonDocument.Parse(File.ReadAllBytes(traceFile));
        var byType = new Dictionary<string, (double Microseconds, int Calls)>(StringComparer.Ordinal);
        double runMicroseconds = 0;
        foreach (var e in trace.RootElement.EnumerateArray())
        {
            string name = e.GetProperty("name").GetString() ?? "";
            double duration = e.TryGetProperty("dur", out var dur) ? dur.GetDouble() : 0;
            string category = e.TryGetProperty("cat", out var cat) ? cat.GetString() ?? "" : "";
            if (category == "Session" && name == "model_run")
                runMicroseconds += duration;
            else if (category == "Node" && name.EndsWith("_kernel_time", StringComparison.Ordinal)
                     && e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var op))
            {
                string type = op.GetString() ?? "?";
                var sum = byType.GetValueOrDefault(type);
                byType[type] = (sum.Microseconds + duration, sum.Calls + 1);
            }
        }
        var operators = byType.Select(p => new Operator(p.Key, p.Value.Microseconds / 1000, p.Value.Calls))
            .OrderByDescending(o => o.Milliseconds).ToList();
        return new OperatorProfile(traceFile, runMicroseconds / 1000, operators);
    }
}
