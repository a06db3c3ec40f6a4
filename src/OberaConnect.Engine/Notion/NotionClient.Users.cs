using System.Runtime.CompilerServices;

namespace OberaConnect.Engine.Notion;

public sealed partial class NotionClient
{
    /// <summary>
    /// The workspace's users (people and bots, <c>GET /v1/users</c>), streamed 100 at a time. Emails are present only
    /// when the integration has the "read user information including email addresses" capability.
    /// </summary>
    public async IAsyncEnumerable<NotionUser> ListUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in PaginateGetAsync("v1/users", "the workspace's users", cancellationToken).ConfigureAwait(false))
            if (item is NotionUser user) yield return user;
    }
}
