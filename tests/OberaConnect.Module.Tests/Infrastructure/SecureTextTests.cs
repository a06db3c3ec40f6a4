using System.Security;
using OberaConnect.Engine.Workspace;
using OberaConnect.PowerShell.Completion;
using OberaConnect.PowerShell.Infrastructure;

namespace OberaConnect.Module.Tests.Infrastructure;

public class SecureTextTests
{
    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    [Theory]
    [InlineData("ntn_0123456789abcdefABCDEF")]
    [InlineData("pässwörd with spaces and ünïcode €")]
    public void A_SecureString_becomes_its_text_at_the_boundary(string text)
        => Assert.Equal(text, SecureText.ToPlainText(Secure(text)));

    [Fact]
    public void No_or_an_empty_SecureString_is_no_value()
    {
        Assert.Null(SecureText.ToPlainText(null));
        Assert.Null(SecureText.ToPlainText(new SecureString()));
    }

    [Fact]
    public void The_completed_database_names_are_the_engines_keys()
        => Assert.Equal(WorkspaceDefinition.Standard.CreationOrder.Select(k => k.ToString()), DatabaseKeys.All);
}
