using RerankKit.Tokenization;

namespace RerankKit.Tests.Tokenization;

public sealed class LongestFirstTruncationTests
{
    [Theory]
    [InlineData(3, 4, 10, 3, 4)]     // fits: untouched
    [InlineData(5, 30, 20, 5, 15)]   // only the longer one is cut
    [InlineData(30, 5, 20, 15, 5)]
    [InlineData(20, 25, 36, 18, 18)] // both cut to half
    [InlineData(10, 10, 15, 7, 8)]   // equal lengths, odd budget: the second keeps the extra token
    [InlineData(12, 10, 15, 8, 7)]   // odd budget: the longer keeps the extra token
    [InlineData(30, 40, 20, 10, 10)] // both longer than the budget
    [InlineData(0, 50, 10, 0, 10)]
    public void Hand_computed_cases(int first, int second, int budget, int keepFirst, int keepSecond)
    {
        Assert.Equal((keepFirst, keepSecond), LongestFirstTruncation.Lengths(first, second, budget));
    }

    [Fact]
    public void Equals_removing_one_token_at_a_time_from_the_longer_text_where_a_tie_costs_the_originally_shorter_one()
    {
        for (int first = 0; first <= 24; first++)
        for (int second = 0; second <= 24; second++)
        for (int budget = 0; budget <= 40; budget++)
        {
            int a = first, b = second;
            while (a + b > budget)
            {
                bool cutFirst = a > b || (a == b && first <= second);
                if (cutFirst) a--;
                else b--;
            }
            Assert.Equal((a, b), LongestFirstTruncation.Lengths(first, second, budget));
        }
    }
}
