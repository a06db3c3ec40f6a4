using OberaConnect.Engine.Configuration;

namespace OberaConnect.Engine.Tests.Configuration;

public class SystemEnvironmentTests
{
    [Theory]
    [InlineData("SYSTEM", @"C:\Windows\system32\config\systemprofile")]
    [InlineData("WS01$", @"C:\Windows\system32\config\systemprofile")]
    [InlineData("svc-backup", @"C:\Windows\ServiceProfiles\LocalService")]
    [InlineData("NETWORK SERVICE", @"C:\Windows\ServiceProfiles\NetworkService")]
    public void Windows_service_accounts_are_recognized_by_name_or_profile(string user, string profile)
        => Assert.True(SystemEnvironment.IsWindowsServiceAccount(user, profile));

    [Fact]
    public void A_person_is_not_a_service_account()
        => Assert.False(SystemEnvironment.IsWindowsServiceAccount("tech", @"C:\Users\tech"));
}
