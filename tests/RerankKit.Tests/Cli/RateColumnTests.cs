using System.Globalization;
using RerankKit.Cli.Commands;

namespace RerankKit.Tests.Cli;

public class RateColumnTests
{
    [Fact]
    public void TheEmbedPhaseShowsDocsPerSecondInEveryCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("1235 docs/s", RateColumn.Format(1234.6, "embed"));
            Assert.Equal("57/s", RateColumn.Format(56.7, "first stage"));
            Assert.Equal("", RateColumn.Format(null, "embed"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
