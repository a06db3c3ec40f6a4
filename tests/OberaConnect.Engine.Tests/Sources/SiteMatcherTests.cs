using OberaConnect.Engine.Sources;
using OberaConnect.Engine.Sources.NinjaOne;
using OberaConnect.Engine.Sources.UniFi;

namespace OberaConnect.Engine.Tests.Sources;

public class SiteMatcherTests
{
    private static UniFiSite U(string id, string name) => new() { SiteId = id, Name = name, InternalName = "default" };
    private static NinjaOneOrganization N(long id, string name) => new() { Id = id, Name = name };

    [Theory]
    [InlineData("Acme Corp - Main Office", "acme")]
    [InlineData("ACME Corp., LLC", "acme")]
    [InlineData("The Acme Company", "acme")]
    [InlineData("Acme Corporation (HQ)", "acme")]
    [InlineData("Acme - Warehouse", "acme warehouse")]
    [InlineData("Smith & Sons, Inc.", "smith and sons")]
    [InlineData("Café Olé L.L.C.", "cafe ole")]
    [InlineData("O'Brien Dental – Main Office", "obrien dental")]
    [InlineData("  ", "")]
    public void Names_normalize_to_the_customer(string name, string expected)
    {
        Assert.Equal(expected, SiteNameNormalizer.Normalize(name));
    }

    [Fact]
    public void Sites_pair_with_organizations_of_the_same_normalized_name()
    {
        var result = SiteMatcher.Match(
            new[] { U("s1", "Acme Corp - Main Office"), U("s2", "Riverside Dental") },
            new[] { N(10, "Acme Corp LLC"), N(11, "Riverside Dental, Inc.") });
        Assert.Empty(result.Mismatches);
        Assert.Equal(2, result.Sites.Count);
        var acme = result.Sites.Single(s => s.UniFiSite?.SiteId == "s1");
        Assert.Equal(10, acme.Organization!.Id);
        Assert.Equal(SiteMatchKind.Name, acme.Kind);
        Assert.Equal("Acme Corp - Main Office", acme.SiteName);
    }

    [Fact]
    public void Explicit_entries_by_id_or_name_come_before_name_matching_and_set_the_name()
    {
        var map = new SiteMap(new[]
        {
            new SiteMapEntry { UniFi = "s1", NinjaOne = "11", SiteName = "Acme" },
            new SiteMapEntry { UniFi = "riverside dental", NinjaOne = "ACME CORP LLC" },
        });
        var result = SiteMatcher.Match(
            new[] { U("s1", "Acme Corp - Main Office"), U("s2", "Riverside Dental") },
            new[] { N(10, "Acme Corp LLC"), N(11, "RD Holdings") }, map);
        Assert.Empty(result.Mismatches);
        var first = result.Sites.Single(s => s.UniFiSite?.SiteId == "s1");
        Assert.Equal(11, first.Organization!.Id);
        Assert.Equal(SiteMatchKind.Explicit, first.Kind);
        Assert.Equal("Acme", first.SiteName);
        Assert.Equal(10, result.Sites.Single(s => s.UniFiSite?.SiteId == "s2").Organization!.Id);
    }

    [Fact]
    public void Sites_without_a_counterpart_are_reported_on_both_sides()
    {
        var result = SiteMatcher.Match(
            new[] { U("s1", "Acme"), U("s2", "Riverside Dental - Main Office") },
            new[] { N(10, "Acme LLC"), N(12, "RD Holdings LLC") });
        var unmatchedU = Assert.Single(result.Mismatches, m => m.KindValue == SiteMismatchKind.UnmatchedUniFiSite);
        Assert.Equal("s2", unmatchedU.Id);
        Assert.Equal(SourceSystem.UniFi, unmatchedU.SystemValue);
        Assert.Contains("Riverside Dental - Main Office", unmatchedU.Message);
        Assert.Contains("site map", unmatchedU.Message);
        var unmatchedN = Assert.Single(result.Mismatches, m => m.KindValue == SiteMismatchKind.UnmatchedNinjaOneOrganization);
        Assert.Equal("12", unmatchedN.Id);
        // Both still appear as sites, each with the other system marked NotMatched.
        Assert.Equal(SourceState.NotMatched, result.Sites.Single(s => s.UniFiSite?.SiteId == "s2").NinjaOneState);
        Assert.Equal(SourceState.NotMatched, result.Sites.Single(s => s.Organization?.Id == 12).UniFiState);
        Assert.Equal(3, result.Sites.Count);
    }

    [Fact]
    public void An_ambiguous_name_is_reported_and_nothing_is_picked()
    {
        var result = SiteMatcher.Match(
            new[] { U("s1", "Acme - Main Office"), U("s2", "Acme (HQ)"), U("s3", "Acme - Warehouse") },
            new[] { N(10, "Acme LLC"), N(11, "Acme Warehouse Inc.") });
        var ambiguous = Assert.Single(result.Mismatches, m => m.KindValue == SiteMismatchKind.AmbiguousName);
        Assert.Equal("acme", ambiguous.NormalizedName);
        Assert.Contains("s1", ambiguous.Candidates);
        Assert.Contains("s2", ambiguous.Candidates);
        Assert.Contains("10", ambiguous.Candidates);
        Assert.DoesNotContain(result.Sites, s => s.Organization?.Id == 10 && s.UniFiSite != null);
        // The warehouse is its own customer location and still pairs.
        Assert.Equal(11, result.Sites.Single(s => s.UniFiSite?.SiteId == "s3").Organization!.Id);
        Assert.DoesNotContain(result.Mismatches, m => m.KindValue is SiteMismatchKind.UnmatchedUniFiSite or SiteMismatchKind.UnmatchedNinjaOneOrganization);
    }

    [Fact]
    public void Bad_map_entries_are_reported_not_applied()
    {
        var map = new SiteMap(new[]
        {
            new SiteMapEntry { UniFi = "nope", NinjaOne = "10" },
            new SiteMapEntry { UniFi = "default", NinjaOne = "10" },
            new SiteMapEntry { UniFi = "s1", NinjaOne = "10" },
            new SiteMapEntry { UniFi = "s2", NinjaOne = "Acme LLC" },
        });
        var result = SiteMatcher.Match(new[] { U("s1", "One"), U("s2", "Two") }, new[] { N(10, "Acme LLC") }, map);
        Assert.Contains(result.Mismatches, m => m.KindValue == SiteMismatchKind.MapEntryNotFound && m.Message.Contains("'nope'"));
        Assert.Contains(result.Mismatches, m => m.KindValue == SiteMismatchKind.MapEntryAmbiguous && m.Message.Contains("Use the id"));
        Assert.Contains(result.Mismatches, m => m.KindValue == SiteMismatchKind.MapEntryConflict);
        Assert.Equal(10, result.Sites.Single(s => s.UniFiSite?.SiteId == "s1").Organization!.Id);
        Assert.Null(result.Sites.Single(s => s.UniFiSite?.SiteId == "s2").Organization);
    }

    [Fact]
    public void A_one_sided_map_entry_says_the_site_has_no_counterpart()
    {
        var map = new SiteMap(new[] { new SiteMapEntry { UniFi = "lab", SiteName = "Our lab" } });
        var result = SiteMatcher.Match(new[] { U("lab", "Lab network") }, new[] { N(10, "Acme") }, map);
        Assert.DoesNotContain(result.Mismatches, m => m.KindValue == SiteMismatchKind.UnmatchedUniFiSite);
        var lab = result.Sites.Single(s => s.UniFiSite?.SiteId == "lab");
        Assert.Equal("Our lab", lab.SiteName);
        Assert.Equal(SourceState.NotMatched, lab.NinjaOneState);
    }

    [Fact]
    public void When_a_system_is_unavailable_nothing_is_reported_unmatched_and_the_map_still_names_sites()
    {
        var map = new SiteMap(new[] { new SiteMapEntry { UniFi = "s9", NinjaOne = "10", SiteName = "Acme" } });
        var result = SiteMatcher.Match(null, new[] { N(10, "Acme Holdings LLC"), N(11, "Riverside") }, map);
        Assert.Empty(result.Mismatches);
        Assert.All(result.Sites, s => Assert.Equal(SourceState.Unavailable, s.UniFiState));
        Assert.All(result.Sites, s => Assert.Equal(SourceState.Present, s.NinjaOneState));
        Assert.Equal("Acme", result.Sites.Single(s => s.Organization!.Id == 10).SiteName);
    }

    [Fact]
    public void Site_maps_read_from_json_arrays_and_objects()
    {
        var array = SiteMap.FromJson("[{\"UniFi\":\"s1\",\"ninjaOne\":42,\"siteName\":\"Acme\"},{\"uniFi\":\"s2\"}]");
        Assert.Equal(2, array.Entries.Count);
        Assert.Equal("42", array.Entries[0].NinjaOne);
        Assert.Equal("Acme", array.Entries[0].SiteName);
        Assert.Null(array.Entries[1].NinjaOne);

        var obj = SiteMap.FromJson("{\"Riverside Dental\": \"RD Holdings LLC\"}");
        Assert.Equal("Riverside Dental", obj.Entries.Single().UniFi);
        Assert.Equal("RD Holdings LLC", obj.Entries.Single().NinjaOne);

        var ex = Assert.Throws<OberaConnectException>(() => SiteMap.FromJson("[{"));
        Assert.Equal("InvalidSiteMap", ex.ErrorId);
    }
}
