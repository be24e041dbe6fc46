using RerankKit.Models;

namespace RerankKit.DependencyInjection;

/// <summary>One model added through <see cref="RerankKitBuilder"/>: its service key, what it is and where it
/// comes from. Options are named options of the same name.</summary>
public sealed record ModelRegistration(string Name, ModelKind Kind, string ModelNameOrPath);
