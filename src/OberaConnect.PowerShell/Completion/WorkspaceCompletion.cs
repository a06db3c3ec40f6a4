using System.Collections;
using OberaConnect.Engine;
using OberaConnect.Engine.Configuration;
using OberaConnect.Engine.Connection;
using OberaConnect.Engine.State;
using OberaConnect.Engine.Workspace;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.PowerShell.Completion
{
    /// <summary>
    /// Names of the configured workspace for the completers, without Connect-OberaConnect: the configuration is the one the
    /// command would use (-ConfigPath already typed on the line, else the session's connection, else OBERACONNECT_CONFIG,
    /// the user's and the machine's file), the names come from its cache in paths.stateDirectory (see
    /// <see cref="CompletionNames"/>), read from Notion only when missing or old, with a short timeout. Any failure is
    /// an empty list: completion never prompts, never throws, never writes to Notion.
    /// </summary>
    internal static class WorkspaceCompletion
    {
        /// <summary>The site names of Customer Sites.</summary>
        public static IReadOnlyList<string> SiteNames(IDictionary? fakeBoundParameters)
            => Names(fakeBoundParameters, WorkspaceNameCache.SiteNames, CompletionNames.SiteNamesAsync);

        /// <summary>
        /// The tools Config Changes knows (its Tool options), then the vendors the workspace tracks per site, so a new
        /// workspace still offers tools rather than file names.
        /// </summary>
        public static IReadOnlyList<string> Tools(IDictionary? fakeBoundParameters)
            => Names(fakeBoundParameters, WorkspaceNameCache.Tools, CompletionNames.ToolsAsync).Concat(CommonTools).ToList();

        private static readonly string[] CommonTools = { "unifi", "sonicwall", "mikrotik", "ninjaone", "azure" };

        private static IReadOnlyList<string> Names(IDictionary? fakeBoundParameters, Func<OberaConnectConfiguration, WorkspaceNameCache> cacheOf,
            Func<NotionWorkspace, CancellationToken, Task<IReadOnlyList<string>>> read)
        {
            try
            {
                var configPath = ConfigPathTyped(fakeBoundParameters);
                var session = configPath is null ? OberaConnectSession.Current : null;
                var configuration = session?.Configuration ?? ConfigurationFile.Load(configPath);
                // The session's connection holds a token given to Connect-OberaConnect; otherwise the configuration's credentials.
                return CompletionNames.Get(cacheOf(configuration),
                    token => CompletionNames.ReadAsync(() => session ?? ConnectionFactory.Open(configPath, null), owned: session is null, read, token));
            }
            catch (Exception ex) when (ex is OberaConnectException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                // No configuration file, or one that does not load: nothing to complete from.
                return Array.Empty<string>();
            }
        }

        private static string? ConfigPathTyped(IDictionary? fakeBoundParameters)
        {
            if (fakeBoundParameters is null || !fakeBoundParameters.Contains("ConfigPath")) return null;
            var text = fakeBoundParameters["ConfigPath"]?.ToString();
            return string.IsNullOrWhiteSpace(text) ? null : Path.GetFullPath(text);
        }
    }
}
