namespace RerankKit.Visualization;

/// <summary>A sparse square matrix in compressed rows, columns ascending within each row.</summary>
internal sealed class SparseRows
{
    public required int[] RowStart { get; init; }

    public required int[] Columns { get; init; }

    public required double[] Values { get; init; }

    public int RowCount => RowStart.Length - 1;

    public static SparseRows From(IReadOnlyList<List<(int Column, double Value)>> rows)
    {
        var start = new int[rows.Count + 1];
        for (int i = 0; i < rows.Count; i++)
            start[i + 1] = start[i] + rows[i].Count;
        var columns = new int[start[^1]];
        var values = new double[start[^1]];
        for (int i = 0; i < rows.Count; i++)
        {
            int e = start[i];
            foreach (var (c, v) in rows[i].OrderBy(t => t.Column))
            {
                columns[e] = c;
                values[e++] = v;
            }
        }
        return new SparseRows { RowStart = start, Columns = columns, Values = values };
    }
}
