using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Security;

namespace OberaConnect.Engine.Credentials;

/// <summary>Secrets from environment variables: the secret's name is the variable's name. Never unavailable.</summary>
public sealed class EnvironmentSecretProvider : ISecretProvider
{
    private readonly ISystemEnvironment _environment;

    public EnvironmentSecretProvider(ISystemEnvironment? environment = null)
        => _environment = environment ?? SystemEnvironment.Instance;

    public string Name => "environment variables";

    public Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_environment.GetVariable(name));
    }
}
