using System.Text.Json.Nodes;
using OberaConnect.Engine.Notion;

namespace OberaConnect.Engine.Tests.Notion;

public class PropertyValueTests
{
    private const string PageA = "393abc1e-edcd-8169-85ce-c64d3d3f20fd";
    private const string PageB = "393abc1e-edcd-81a2-8d0b-000bae7f15dc";
    private const string User = "7775f3a3-893f-43fa-b625-460c61094c78";

    public static IEnumerable<object[]> EveryType() => new[]
    {
        new object[] { PropertyValue.Title("Main office – Zürich 🏢") },
        new object[] { PropertyValue.RichText("line one\nline two") },
        new object[] { PropertyValue.Number(87.5) },
        new object[] { PropertyValue.Number(null) },
        new object[] { PropertyValue.Select("Healthy") },
        new object[] { PropertyValue.Select(null) },
        new object[] { PropertyValue.Status("In progress") },
        new object[] { PropertyValue.MultiSelect("UniFi", "NinjaOne") },
        new object[] { PropertyValue.Date(NotionDate.Day(new DateTime(2025, 10, 1))) },
        new object[] { PropertyValue.Date(NotionDate.At(new DateTimeOffset(2025, 10, 1, 14, 30, 5, TimeSpan.FromHours(2)), new DateTimeOffset(2025, 10, 1, 16, 0, 0, TimeSpan.FromHours(2)))) },
        new object[] { PropertyValue.Date(NotionDate.InZone(new DateTime(2025, 10, 1, 9, 0, 0), "America/New_York")) },
        new object[] { PropertyValue.Date(null) },
        new object[] { PropertyValue.Checkbox(true) },
        new object[] { PropertyValue.Url("https://unifi.ui.com/consoles/abc") },
        new object[] { PropertyValue.Email("noc@oberaconnect.com") },
        new object[] { PropertyValue.PhoneNumber("+1 555 0100") },
        new object[] { PropertyValue.Relation(PageA, PageB) },
        new object[] { PropertyValue.People(User) },
        new object[] { new FormulaValue("number", null, 42, null, null) },
        new object[] { new FormulaValue("string", "ok", null, null, null) },
        new object[] { new FormulaValue("boolean", null, null, true, null) },
        new object[] { new FormulaValue("date", null, null, null, NotionDate.Day(new DateTime(2025, 1, 2))) },
        new object[] { new RollupValue("number", "sum", 12, null, Array.Empty<PropertyValue>()) },
        new object[] { new RollupValue("array", "show_original", null, null, new PropertyValue[] { PropertyValue.Title("a"), PropertyValue.Number(2) }) },
        new object[] { new CreatedTimeValue(new DateTimeOffset(2026, 7, 4, 9, 9, 0, TimeSpan.Zero)) },
        new object[] { new LastEditedTimeValue(new DateTimeOffset(2026, 7, 4, 9, 10, 0, TimeSpan.Zero)) },
        new object[] { new CreatedByValue(User) },
        new object[] { new LastEditedByValue(User) },
        new object[] { new UniqueIdValue(42, "SITE") },
        new object[] { new UnknownValue("files", "[{\"name\":\"a.pdf\",\"type\":\"external\",\"external\":{\"url\":\"https://x\"}}]", writable: false) },
    };

    [Theory]
    [MemberData(nameof(EveryType))]
    public void Every_type_round_trips_through_its_own_json(PropertyValue value)
    {
        var json = value.ToJsonString();
        var parsed = PropertyValue.Parse(json);
        Assert.IsType(value.GetType(), parsed);
        Assert.Equal(value.Type, parsed.Type);
        Assert.Equal(value, parsed);
        Assert.Equal(value.GetHashCode(), parsed.GetHashCode());
        Assert.Equal(json, parsed.ToJsonString());
        Assert.Equal(value.DisplayText, parsed.DisplayText);
    }

    [Fact]
    public void Notion_shaped_values_parse_to_typed_values()
    {
        PropertyValue P(string json) => PropertyValue.Parse(json);

        var number = Assert.IsType<NumberValue>(P("{\"id\":\"abc\",\"type\":\"number\",\"number\":3}"));
        Assert.Equal(3.0, number.Value);
        Assert.Equal("abc", number.PropertyId);
        Assert.Equal("Done", Assert.IsType<StatusValue>(P("{\"type\":\"status\",\"status\":{\"id\":\"x\",\"name\":\"Done\",\"color\":\"green\"}}")).Name);
        var select = Assert.IsType<SelectValue>(P("{\"type\":\"select\",\"select\":{\"id\":\"x\",\"name\":\"Critical\",\"color\":\"red\"}}"));
        Assert.Equal("red", select.Option!.Color);
        Assert.Null(Assert.IsType<SelectValue>(P("{\"type\":\"select\",\"select\":null}")).Name);
        var date = Assert.IsType<DateValue>(P("{\"type\":\"date\",\"date\":{\"start\":\"2025-10-01\",\"end\":null,\"time_zone\":null}}")).Date!;
        Assert.False(date.HasTime);
        Assert.Equal(new DateTime(2025, 10, 1), date.Start.Date);
        var instant = Assert.IsType<DateValue>(P("{\"type\":\"date\",\"date\":{\"start\":\"2025-10-01T12:00:00.000+02:00\",\"end\":null,\"time_zone\":null}}")).Date!;
        Assert.True(instant.HasTime);
        Assert.Equal(new DateTimeOffset(2025, 10, 1, 10, 0, 0, TimeSpan.Zero), instant.Start);
        var relation = Assert.IsType<RelationValue>(P("{\"type\":\"relation\",\"relation\":[{\"id\":\"393abc1eedcd816985cec64d3d3f20fd\"}],\"has_more\":true}"));
        Assert.Equal(new[] { PageA }, relation.Ids);
        Assert.True(relation.HasMore);
        var people = Assert.IsType<PeopleValue>(P("{\"type\":\"people\",\"people\":[{\"object\":\"user\",\"id\":\"" + User + "\",\"name\":\"N\"}]}"));
        Assert.Equal(new[] { User }, people.Ids);
        Assert.Equal("SITE-7", Assert.IsType<UniqueIdValue>(P("{\"type\":\"unique_id\",\"unique_id\":{\"number\":7,\"prefix\":\"SITE\"}}")).DisplayText);
        Assert.Equal(5.0, Assert.IsType<FormulaValue>(P("{\"type\":\"formula\",\"formula\":{\"type\":\"number\",\"number\":5}}")).Number);
        var rollup = Assert.IsType<RollupValue>(P("{\"type\":\"rollup\",\"rollup\":{\"type\":\"array\",\"array\":[{\"type\":\"number\",\"number\":1}],\"function\":\"show_original\"}}"));
        Assert.Equal(PropertyValue.Number(1), Assert.Single(rollup.Items));
        Assert.Equal(new DateTimeOffset(2026, 7, 4, 9, 9, 0, TimeSpan.Zero),
            Assert.IsType<CreatedTimeValue>(P("{\"type\":\"created_time\",\"created_time\":\"2026-07-04T09:09:00.000Z\"}")).Time);
        Assert.True(Assert.IsType<CheckboxValue>(P("{\"type\":\"checkbox\",\"checkbox\":true}")).Value);
        Assert.Null(Assert.IsType<UrlValue>(P("{\"type\":\"url\",\"url\":null}")).Value);
    }

    [Theory]
    [InlineData("{\"type\":\"button\",\"button\":{}}")]
    [InlineData("{\"type\":\"verification\",\"verification\":{\"state\":\"verified\"}}")]
    [InlineData("{\"type\":\"number\",\"number\":\"not a number\"}")]
    [InlineData("{\"type\":\"date\",\"date\":{\"start\":\"garbage\"}}")]
    [InlineData("{\"type\":\"relation\",\"relation\":\"odd\"}")]
    [InlineData("{\"type\":\"unique_id\",\"unique_id\":{\"number\":1e300}}")]
    [InlineData("{\"id\":\"x\"}")]
    public void Unknown_or_odd_values_never_crash(string json)
    {
        var value = PropertyValue.Parse(json);
        Assert.NotNull(value);
        Assert.NotNull(value.ToJsonString());
    }

    [Fact]
    public void An_unknown_type_is_kept_raw_and_is_not_writable()
    {
        var value = Assert.IsType<UnknownValue>(PropertyValue.Parse("{\"id\":\"b\",\"type\":\"button\",\"button\":{\"x\":1}}"));
        Assert.Equal("button", value.Type);
        Assert.Equal("{\"x\":1}", value.RawValueJson);
        Assert.True(value.IsReadOnly);
    }

    [Fact]
    public void Text_compares_as_plain_text_whatever_the_segmentation_and_formatting()
    {
        var plain = PropertyValue.RichText("Main office");
        var split = new RichTextValue(new[] { RichTextSegment.Text("Main "), RichTextSegment.Text("office", annotations: new RichTextAnnotations(Bold: true)) });
        Assert.Equal(plain, split);
        Assert.NotEqual(plain, PropertyValue.RichText("main office"));
        Assert.NotEqual<PropertyValue>(plain, PropertyValue.Title("Main office"));
        Assert.Equal(PropertyValue.RichText(""), PropertyValue.RichText(null));
    }

    [Fact]
    public void Numbers_compare_numerically()
    {
        Assert.Equal(PropertyValue.Number(5), PropertyValue.Parse("{\"type\":\"number\",\"number\":5.0}"));
        Assert.Equal(PropertyValue.Number(0.1 + 0.2), PropertyValue.Parse("{\"type\":\"number\",\"number\":" + (0.1 + 0.2).ToString("R") + "}"));
        Assert.NotEqual(PropertyValue.Number(5), PropertyValue.Number(5.0001));
        Assert.NotEqual(PropertyValue.Number(0), PropertyValue.Number(null));
    }

    [Fact]
    public void Sets_compare_as_sets()
    {
        Assert.Equal(PropertyValue.MultiSelect("a", "b"), PropertyValue.MultiSelect("b", "a"));
        Assert.NotEqual(PropertyValue.MultiSelect("a", "b"), PropertyValue.MultiSelect("a"));
        Assert.Equal(PropertyValue.MultiSelect("a", "b").GetHashCode(), PropertyValue.MultiSelect("b", "a").GetHashCode());
        // Ids normalize: undashed, dashed, links, any order.
        Assert.Equal(PropertyValue.Relation(PageA, PageB),
            PropertyValue.Relation(PageB.Replace("-", ""), "https://www.notion.so/x/Site-" + PageA.Replace("-", "")));
        Assert.NotEqual(PropertyValue.Relation(PageA), PropertyValue.Relation(PageA, PageB));
        Assert.Equal(PropertyValue.People(User), PropertyValue.People(User.ToUpperInvariant()));
    }

    [Fact]
    public void Selects_compare_by_name_not_color()
    {
        var read = PropertyValue.Parse("{\"type\":\"select\",\"select\":{\"id\":\"q\",\"name\":\"Critical\",\"color\":\"red\"}}");
        Assert.Equal(PropertyValue.Select("Critical"), read);
        Assert.NotEqual(PropertyValue.Select("critical"), read);
    }

    [Fact]
    public void Dates_compare_as_days_or_instants()
    {
        Assert.Equal(PropertyValue.Date(NotionDate.Day(new DateTime(2025, 10, 1, 15, 0, 0))), PropertyValue.Parse("{\"type\":\"date\",\"date\":{\"start\":\"2025-10-01\"}}"));
        Assert.Equal(PropertyValue.Date(NotionDate.At(new DateTimeOffset(2025, 10, 1, 12, 0, 0, TimeSpan.FromHours(2)))),
            PropertyValue.Parse("{\"type\":\"date\",\"date\":{\"start\":\"2025-10-01T10:00:00.000+00:00\"}}"));
        Assert.NotEqual(PropertyValue.Date(NotionDate.Day(new DateTime(2025, 10, 1))),
            PropertyValue.Date(NotionDate.At(new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero))));
        Assert.Equal("2025-10-01", NotionDate.Day(new DateTime(2025, 10, 1)).FormatStart());
        Assert.Equal("2025-10-01T12:00:00.000+02:00", NotionDate.At(new DateTimeOffset(2025, 10, 1, 12, 0, 0, TimeSpan.FromHours(2))).FormatStart());
        Assert.Equal("2025-10-01T09:00:00.000", NotionDate.InZone(new DateTime(2025, 10, 1, 9, 0, 0), "America/New_York").FormatStart());
    }

    [Fact]
    public void Empty_strings_and_null_are_the_same_for_url_email_and_phone()
    {
        Assert.Equal(PropertyValue.Url(""), PropertyValue.Parse("{\"type\":\"url\",\"url\":null}"));
        Assert.Equal(PropertyValue.Email(null), PropertyValue.Email(""));
    }

    [Fact]
    public void Long_text_is_split_into_runs_of_at_most_2000_characters()
    {
        var text = new string('x', 4500);
        var value = PropertyValue.RichText(text);
        Assert.Equal(new[] { 2000, 2000, 500 }, value.Segments.Select(s => s.PlainText.Length));
        Assert.Equal(text, value.PlainText);
    }

    [Fact]
    public void Splitting_never_cuts_a_surrogate_pair()
    {
        var text = new string('a', 1999) + "😀" + new string('b', 10); // the emoji straddles character 2000
        var value = PropertyValue.Title(text);
        Assert.All(value.Segments, s => Assert.True(s.PlainText.Length <= 2000));
        Assert.Equal(1999, value.Segments[0].PlainText.Length);
        Assert.StartsWith("😀", value.Segments[1].PlainText);
        Assert.All(value.Segments, s => Assert.False(char.IsHighSurrogate(s.PlainText[^1])));
        Assert.Equal(text, value.PlainText);
    }

    [Fact]
    public void Split_text_is_sent_as_several_rich_text_objects()
    {
        var request = PropertyValue.RichText(new string('y', 2001)).ToRequestJson("Notes");
        var arr = request["rich_text"]!.AsArray();
        Assert.Equal(2, arr.Count);
        Assert.Equal(2000, ((string)arr[0]!["text"]!["content"]!).Length);
    }
}
