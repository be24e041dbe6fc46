using RerankKit.Inference.Benchmark;
using RerankKit.Tests.Infrastructure;

namespace RerankKit.Tests.Inference;

public class OperatorProfileTests
{
    [Fact]
    public void KernelTimesAreSummedByOperatorTypeAndFencesLeftOut()
    {
        using var scratch = new ScratchFolder();
        string trace = Path.Combine(scratch.Path, "trace.json");
        File.WriteAllText(trace, """
            [
              {"cat":"Session","name":"model_loading_uri","dur":9000,"args":{}},
              {"cat":"Node","name":"q_fence_before","dur":7,"args":{"op_name":"MatMul"}},
              {"cat":"Node","name":"q_kernel_time","dur":1500,"args":{"op_name":"MatMul"}},
              {"cat":"Node","name":"k_kernel_time","dur":500,"args":{"op_name":"MatMul"}},
              {"cat":"Node","name":"a_kernel_time","dur":250,"args":{"op_name":"DynamicQuantizeMatMul"}},
              {"cat":"Session","name":"model_run","dur":2400,"args":{}},
              {"cat":"Session","name":"model_run","dur":100,"args":{}}
            ]
            """);
        var profile = OperatorProfile.Read(trace);
        Assert.Equal(2.5, profile.RunMilliseconds, 9);
        Assert.Equal(2.25, profile.KernelMilliseconds, 9);
        Assert.Equal([new OperatorProfile.Operator("MatMul", 2.0, 2), new OperatorProfile.Operator("DynamicQuantizeMatMul", 0.25, 1)], profile.Operators);
    }
}
