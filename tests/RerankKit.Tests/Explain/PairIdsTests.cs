using RerankKit.Explain;

namespace RerankKit.Tests.Explain;

public sealed class PairIdsTests
{
    [Fact]
    public void QueriesAreNumberedByFirstAppearanceAndDocumentsWithinTheirQuery()
    {
        var ids = PairIds.Assign([
            (null, "a", "x"), (null, "b", "y"), (null, "a", "z"), ("", "b", "w"), ("mine", "c", "v"), ("mine", "c", "u"), ("../etc", "c", "t"),
        ]).Select(p => p.Id);
        Assert.Equal(["q1_d1", "q2_d1", "q1_d2", "q2_d2", "mine", "mine_2", "_etc"], ids);
    }

    [Fact]
    public void TokenRolesFollowBertAndXlmRobertaPairLayouts()
    {
        var s = TokenRole.Special;
        var q = TokenRole.Query;
        var d = TokenRole.Document;
        Assert.Equal([s, q, q, s, d, s], TokenRoles.Assign(["[CLS]", "who", "is", "[SEP]", "bell", "[SEP]"]));
        Assert.Equal([s, q, s, s, d, d, s], TokenRoles.Assign(["<s>", "▁who", "</s>", "</s>", "▁bell", "▁was", "</s>"]));
    }
}
