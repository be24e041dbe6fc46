using Google.Protobuf;
using RerankKit.Models;

namespace RerankKit.Tokenization;

/// <summary>The parts of a SentencePiece <c>ModelProto</c> (<c>*.model</c> file) that encoding needs.</summary>
/// <remarks>Read field by field with Google.Protobuf's CodedInputStream: the project has no generated
/// sentencepiece_model.proto classes and needs only a handful of fields.</remarks>
internal sealed class SentencePieceModel
{
    public enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 }

    public enum ModelType { Unigram = 1, Bpe = 2, Word = 3, Char = 4 }

    public sealed record Piece(string Text, float Score, PieceType Type);

    public required IReadOnlyList<Piece> Pieces { get; init; }
    public ModelType Type { get; init; } = ModelType.Unigram;
    public int UnkId { get; init; }
    public byte[] PrecompiledCharsMap { get; init; } = [];
    public bool AddDummyPrefix { get; init; } = true;
    public bool RemoveExtraWhitespaces { get; init; } = true;
    public bool EscapeWhitespaces { get; init; } = true;

    public static SentencePieceModel Load(string path)
    {
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelLoadException($"{path} is not a SentencePiece model: {e.Message}", e);
        }
    }

    public static SentencePieceModel Parse(byte[] bytes)
    {
        var pieces = new List<Piece>();
        var type = ModelType.Unigram;
        int unkId = 0;
        byte[] charsMap = [];
        bool dummyPrefix = true, removeExtra = true, escape = true;

        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    pieces.Add(ParsePiece(input.ReadBytes()));
                    break;
                case 2:
                    var trainer = new CodedInputStream(input.ReadBytes().ToByteArray());
                    uint t;
                    while ((t = trainer.ReadTag()) != 0)
                    {
                        switch (WireFormat.GetTagFieldNumber(t))
                        {
                            case 3: type = (ModelType)trainer.ReadEnum(); break;
                            case 40: unkId = trainer.ReadInt32(); break;
                            default: trainer.SkipLastField(); break;
                        }
                    }
                    break;
                case 3:
                    var normalizer = new CodedInputStream(input.ReadBytes().ToByteArray());
                    uint n;
                    while ((n = normalizer.ReadTag()) != 0)
                    {
                        switch (WireFormat.GetTagFieldNumber(n))
                        {
                            case 2: charsMap = normalizer.ReadBytes().ToByteArray(); break;
                            case 3: dummyPrefix = normalizer.ReadBool(); break;
                            case 4: removeExtra = normalizer.ReadBool(); break;
                            case 5: escape = normalizer.ReadBool(); break;
                            default: normalizer.SkipLastField(); break;
                        }
                    }
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        int unknown = pieces.FindIndex(p => p.Type == PieceType.Unknown);
        return new SentencePieceModel
        {
            Pieces = pieces,
            Type = type,
            UnkId = unknown >= 0 ? unknown : unkId,
            PrecompiledCharsMap = charsMap,
            AddDummyPrefix = dummyPrefix,
            RemoveExtraWhitespaces = removeExtra,
            EscapeWhitespaces = escape,
        };
    }

    private static Piece ParsePiece(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string text = "";
        float score = 0;
        var type = PieceType.Normal;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: text = input.ReadString(); break;
                case 2: score = input.ReadFloat(); break;
                case 3: type = (PieceType)input.ReadEnum(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new Piece(text, score, type);
    }
}
