namespace RerankKit.DependencyInjection;

/// <summary>The models registered so far, in registration order (the first of a kind is the default that hosts
/// such as <c>MapRerankKit</c> serve).</summary>
internal sealed class ModelCatalog
{
    private readonly List<ModelRegistration> _models = [];
    private readonly Dictionary<string, IDisposable> _instances = new(StringComparer.Ordinal);

    public IReadOnlyList<ModelRegistration> Models => _models;

    /// <summary>A model the application created itself and keeps ownership of, or null.</summary>
    public IDisposable? InstanceOf(string name) => _instances.GetValueOrDefault(name);

    public void Add(ModelRegistration registration, IDisposable? instance = null)
    {
        if (_models.Any(m => m.Name == registration.Name))
            throw new ArgumentException($"a RerankKit model named '{registration.Name}' is already registered", nameof(registration));
        _models.Add(registration);
        if (instance is not null)
            _instances[registration.Name] = instance;
    }
}
