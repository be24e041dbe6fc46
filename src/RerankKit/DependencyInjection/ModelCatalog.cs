namespace RerankKit.DependencyInjection;

/// <summary>The models registered so far, in registration order (the first of a kind is the default that hosts
/// such as <c>MapRerankKit</c> serve).</summary>
internal sealed class ModelCatalog
{
    private readonly List<ModelRegistration> _models = [];

    public IReadOnlyList<ModelRegistration> Models => _models;

    public void Add(ModelRegistration registration)
    {
        if (_models.Any(m => m.Name == registration.Name))
            throw new ArgumentException($"a RerankKit model named '{registration.Name}' is already registered", nameof(registration));
        _models.Add(registration);
    }
}
