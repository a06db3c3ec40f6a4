using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Tests.Notion;

public class NotionFilterTests
{
    public static IEnumerable<object[]> Shapes() => new[]
    {
        new object[] { NotionFilter.Title("Site Name").EqualTo("Main"), "{\"property\":\"Site Name\",\"title\":{\"equals\":\"Main\"}}" },
        new object[] { NotionFilter.Title("Site Name").Contains("Ma"), "{\"property\":\"Site Name\",\"title\":{\"contains\":\"Ma\"}}" },
        new object[] { NotionFilter.RichText("Notes").StartsWith("ISP"), "{\"property\":\"Notes\",\"rich_text\":{\"starts_with\":\"ISP\"}}" },
        new object[] { NotionFilter.RichText("Notes").IsEmpty(), "{\"property\":\"Notes\",\"rich_text\":{\"is_empty\":true}}" },
        new object[] { NotionFilter.Number("Health").EqualTo(90), "{\"property\":\"Health\",\"number\":{\"equals\":90}}" },
        new object[] { NotionFilter.Number("Health").GreaterThan(50.5), "{\"property\":\"Health\",\"number\":{\"greater_than\":50.5}}" },
        new object[] { NotionFilter.Number("Health").LessThan(10), "{\"property\":\"Health\",\"number\":{\"less_than\":10}}" },
        new object[] { NotionFilter.Number("Health").GreaterThanOrEqualTo(1), "{\"property\":\"Health\",\"number\":{\"greater_than_or_equal_to\":1}}" },
        new object[] { NotionFilter.Number("Health").LessThanOrEqualTo(2), "{\"property\":\"Health\",\"number\":{\"less_than_or_equal_to\":2}}" },
        new object[] { NotionFilter.Select("Severity").EqualTo("Critical"), "{\"property\":\"Severity\",\"select\":{\"equals\":\"Critical\"}}" },
        new object[] { NotionFilter.Status("State").EqualTo("Done"), "{\"property\":\"State\",\"status\":{\"equals\":\"Done\"}}" },
        new object[] { NotionFilter.MultiSelect("Tags").Contains("UniFi"), "{\"property\":\"Tags\",\"multi_select\":{\"contains\":\"UniFi\"}}" },
        new object[] { NotionFilter.Date("Day").OnOrAfter(new DateTime(2025, 10, 1)), "{\"property\":\"Day\",\"date\":{\"on_or_after\":\"2025-10-01\"}}" },
        new object[] { NotionFilter.Date("Day").Before(new DateTimeOffset(2025, 10, 1, 12, 0, 0, TimeSpan.FromHours(2))), "{\"property\":\"Day\",\"date\":{\"before\":\"2025-10-01T10:00:00.000Z\"}}" },
        new object[] { NotionFilter.Date("Day").EqualTo(new DateTime(2025, 10, 2)), "{\"property\":\"Day\",\"date\":{\"equals\":\"2025-10-02\"}}" },
        new object[] { NotionFilter.Date("Day").After(new DateTime(2025, 10, 2)), "{\"property\":\"Day\",\"date\":{\"after\":\"2025-10-02\"}}" },
        new object[] { NotionFilter.Date("Day").OnOrBefore(new DateTime(2025, 10, 2)), "{\"property\":\"Day\",\"date\":{\"on_or_before\":\"2025-10-02\"}}" },
        new object[] { NotionFilter.Checkbox("Online").EqualTo(true), "{\"property\":\"Online\",\"checkbox\":{\"equals\":true}}" },
        new object[] { NotionFilter.Relation("Site").Contains("393abc1eedcd816985cec64d3d3f20fd"), "{\"property\":\"Site\",\"relation\":{\"contains\":\"393abc1e-edcd-8169-85ce-c64d3d3f20fd\"}}" },
        new object[] { NotionFilter.LastEditedTime.OnOrAfter(new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero)), "{\"timestamp\":\"last_edited_time\",\"last_edited_time\":{\"on_or_after\":\"2025-10-01T00:00:00.000Z\"}}" },
        new object[] { NotionFilter.CreatedTime.Before(new DateTime(2025, 1, 1)), "{\"timestamp\":\"created_time\",\"created_time\":{\"before\":\"2025-01-01\"}}" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Builders_produce_notions_json(NotionFilter filter, string expected) => Assert.Equal(expected, filter.ToJson());

    [Fact]
    public void Compounds_nest_up_to_two_levels()
    {
        var a = NotionFilter.Checkbox("Online").EqualTo(false);
        var b = NotionFilter.Number("Health").LessThan(50);
        var and = NotionFilter.And(a, b);
        Assert.Equal("{\"and\":[" + a.ToJson() + "," + b.ToJson() + "]}", and.ToJson());
        var or = NotionFilter.Or(and, NotionFilter.Select("Severity").EqualTo("Critical"));
        Assert.Equal(2, or.Depth);
        Assert.StartsWith("{\"or\":[{\"and\":[", or.ToJson());
        var ex = Assert.Throws<NotionInputException>(() => NotionFilter.And(or, a));
        Assert.Contains("2", ex.Message);
    }

    [Fact]
    public void A_date_filter_day_with_a_time_is_refused()
        => Assert.Throws<NotionInputException>(() => NotionFilter.Date("Day").OnOrAfter(new DateTime(2025, 10, 1, 8, 0, 0)));

    [Fact]
    public void Sorts_by_property_or_timestamp()
    {
        Assert.Equal("{\"property\":\"Site Name\",\"direction\":\"ascending\"}", NotionSort.ByProperty("Site Name").ToString());
        Assert.Equal("{\"timestamp\":\"last_edited_time\",\"direction\":\"descending\"}", NotionSort.ByLastEditedTime(NotionSortDirection.Descending).ToString());
        Assert.Equal("{\"timestamp\":\"created_time\",\"direction\":\"ascending\"}", NotionSort.ByCreatedTime().ToString());
    }

    [Fact]
    public void Raw_filters_are_accepted_and_measured()
    {
        var f = NotionFilter.FromJson("{\"or\":[{\"and\":[{\"property\":\"A\",\"checkbox\":{\"equals\":true}}]}]}");
        Assert.Equal(2, f.Depth);
    }
}
