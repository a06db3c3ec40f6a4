using OberaConnect.Engine.Http;
using OberaConnect.Engine.Tests.Support;

namespace OberaConnect.Engine.Tests.Http;

public class RequestPacerTests
{
    [Fact]
    public void Clients_of_one_service_on_the_system_clock_share_one_pacer_and_another_clock_gets_its_own()
    {
        var key = "pacer-test " + Guid.NewGuid().ToString("N");
        var first = RequestPacer.ForKey(key, 3, 3);
        Assert.Same(first, RequestPacer.ForKey(key, 3, 3, TimeProvider.System));
        Assert.NotSame(first, RequestPacer.ForKey(key + " other", 3, 3));

        // A test's or a tool's clock: never the shared pacer (it reads the system clock), and not shared with each other.
        var manual = new ManualTimeProvider();
        var own = RequestPacer.ForKey(key, 3, 3, manual);
        Assert.NotSame(first, own);
        Assert.NotSame(own, RequestPacer.ForKey(key, 3, 3, manual));
    }
}
