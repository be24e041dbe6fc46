namespace RerankKit.Evaluation;

/// <summary>The order in which trec_eval reads a query's results. It ignores the rank column and sorts by score
/// descending, breaking ties by document id in descending strcmp order: usnistgov/trec_eval form_res_rels.c,
/// comp_sim_docno, <c>return (strcmp(ptr2->docno, ptr1->docno))</c> after comparing sims (commit dc0c991c).</summary>
public static class TrecOrder
{
    public static List<(string DocumentId, double Score)> Sort(IEnumerable<(string DocumentId, double Score)> results)
    {
        var sorted = results.ToList();
        sorted.Sort(static (a, b) =>
        {
            int byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(b.DocumentId, a.DocumentId);
        });
        return sorted;
    }
}
