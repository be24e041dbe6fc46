namespace RerankKit.Visualization;

/// <summary>Point-region quadtree over 2D points with the centre of mass of every cell, for Barnes-Hut
/// repulsion. Coincident points share a leaf (its count grows) instead of splitting forever.</summary>
internal sealed class QuadTree
{
    private const int MaxDepth = 48;

    private Node[] _nodes = new Node[64];
    private int _count;

    private struct Node
    {
        public double CenterX, CenterY, HalfWidth;
        public double MassX, MassY;
        public int Count;
        public int FirstChild;
        public int Point;
    }

    public static QuadTree Build(double[][] y)
    {
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var p in y)
        {
            minX = Math.Min(minX, p[0]);
            maxX = Math.Max(maxX, p[0]);
            minY = Math.Min(minY, p[1]);
            maxY = Math.Max(maxY, p[1]);
        }
        double half = Math.Max(Math.Max(maxX - minX, maxY - minY) / 2, 1e-12) * (1 + 1e-6);
        var tree = new QuadTree();
        tree._nodes[0] = new Node { CenterX = (minX + maxX) / 2, CenterY = (minY + maxY) / 2, HalfWidth = half, FirstChild = -1, Point = -1 };
        tree._count = 1;
        for (int i = 0; i < y.Length; i++)
            tree.Insert(i, y[i][0], y[i][1]);
        return tree;
    }

    private void Insert(int point, double x, double y)
    {
        int index = 0;
        for (int depth = 0; ; depth++)
        {
            var node = _nodes[index];
            if (node.FirstChild < 0)
            {
                if (node.Count == 0 || (node.MassX == x && node.MassY == y) || depth >= MaxDepth)
                {
                    if (node.Count == 0)
                        node.Point = point;
                    if (node.Count > 0 && node.MassX == x && node.MassY == y)
                        node.Count++;
                    else
                        AddMass(ref node, x, y);
                    _nodes[index] = node;
                    return;
                }
                node.FirstChild = Split(node);
                var resident = _nodes[node.FirstChild + Quadrant(node, node.MassX, node.MassY)];
                resident.MassX = node.MassX;
                resident.MassY = node.MassY;
                resident.Count = node.Count;
                resident.Point = node.Point;
                _nodes[node.FirstChild + Quadrant(node, node.MassX, node.MassY)] = resident;
                node.Point = -1;
            }
            AddMass(ref node, x, y);
            _nodes[index] = node;
            index = node.FirstChild + Quadrant(node, x, y);
        }
    }

    private static void AddMass(ref Node node, double x, double y)
    {
        node.MassX = (node.MassX * node.Count + x) / (node.Count + 1);
        node.MassY = (node.MassY * node.Count + y) / (node.Count + 1);
        node.Count++;
    }

    private int Split(Node node)
    {
        int first = _count;
        if (_count + 4 > _nodes.Length)
            Array.Resize(ref _nodes, _nodes.Length * 2);
        _count += 4;
        double h = node.HalfWidth / 2;
        for (int q = 0; q < 4; q++)
        {
            _nodes[first + q] = new Node
            {
                CenterX = node.CenterX + ((q & 1) == 0 ? -h : h),
                CenterY = node.CenterY + ((q & 2) == 0 ? -h : h),
                HalfWidth = h,
                FirstChild = -1,
                Point = -1,
            };
        }
        return first;
    }

    private static int Quadrant(Node node, double x, double y) =>
        (x < node.CenterX ? 0 : 1) + (y < node.CenterY ? 0 : 2);

    /// <summary>Sum over other points j of w_ij^2 (y_i - y_j) and of w_ij = 1 / (1 + |y_i - y_j|^2), with
    /// cells summarised by their centre of mass when width / distance is below <paramref name="angle"/>.</summary>
    public (double ForceX, double ForceY, double Normalizer) Repulsion(int point, double x, double y, double angle)
    {
        double fx = 0, fy = 0, z = 0;
        // Depth-first with an explicit stack: at most 3 pending siblings per level, MaxDepth levels.
        Span<int> stack = stackalloc int[3 * MaxDepth + 8];
        int top = 0;
        stack[top++] = 0;
        double angle2 = angle * angle;
        while (top > 0)
        {
            ref readonly var node = ref _nodes[stack[--top]];
            if (node.Count == 0)
                continue;
            double dx = x - node.MassX, dy = y - node.MassY;
            double d2 = dx * dx + dy * dy;
            double width = 2 * node.HalfWidth;
            if (node.FirstChild < 0 || width * width < angle2 * d2)
            {
                // A leaf at distance zero holds this point (and any duplicates of it).
                int others = node.Count - (node.FirstChild < 0 && (node.Point == point || d2 == 0) ? 1 : 0);
                if (others == 0)
                    continue;
                double w = 1 / (1 + d2);
                z += others * w;
                fx += others * w * w * dx;
                fy += others * w * w * dy;
                continue;
            }
            for (int q = 0; q < 4; q++)
                stack[top++] = node.FirstChild + q;
        }
        return (fx, fy, z);
    }
}
