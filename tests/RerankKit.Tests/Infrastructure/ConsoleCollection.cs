namespace RerankKit.Tests.Infrastructure;

/// <summary>Tests that swap Console.Out/Console.Error (in-process CLI runs) join this collection: it runs alone,
/// so no other test's output lands in a captured writer and no capture is undone midway.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
