using System.Text;

namespace CanvasLearning.Canvas;

internal static partial class CanvasReader
{
    private enum Field
    {
        None, Id, Type, Text, File, Subpath, Url, Label, Color, FromNode, ToNode, FromSide, ToSide, FromEnd, ToEnd, X, Y, Width, Height,
    }

    /// <summary>The fields of one node or edge object that the typed view reads; the rest stay in the text.</summary>
    private sealed class Item
    {
        private readonly string?[] _strings = new string?[(int)Field.ToEnd + 1];
        private double _x, _y, _width, _height;

        public int Start { get; private set; }

        public int End { get; set; }

        public bool KeysSorted { get; set; }

        public int KeyCount { get; set; }

        /// <summary>Empty again, for the object starting at <paramref name="start"/>.</summary>
        public void Reset(int start)
        {
            Array.Clear(_strings);
            (_x, _y, _width, _height) = (0, 0, 0, 0);
            (Start, End, KeysSorted, KeyCount) = (start, 0, true, 0);
        }

        public TextSpan Span => new(Start, End);

        public static Field FieldOf(ReadOnlySpan<byte> name) => name switch
        {
            _ when name.SequenceEqual("id"u8) => Field.Id,
            _ when name.SequenceEqual("type"u8) => Field.Type,
            _ when name.SequenceEqual("text"u8) => Field.Text,
            _ when name.SequenceEqual("x"u8) => Field.X,
            _ when name.SequenceEqual("y"u8) => Field.Y,
            _ when name.SequenceEqual("width"u8) => Field.Width,
            _ when name.SequenceEqual("height"u8) => Field.Height,
            _ when name.SequenceEqual("color"u8) => Field.Color,
            _ when name.SequenceEqual("file"u8) => Field.File,
            _ when name.SequenceEqual("fromNode"u8) => Field.FromNode,
            _ when name.SequenceEqual("toNode"u8) => Field.ToNode,
            _ when name.SequenceEqual("fromSide"u8) => Field.FromSide,
            _ when name.SequenceEqual("toSide"u8) => Field.ToSide,
            _ when name.SequenceEqual("label"u8) => Field.Label,
            _ when name.SequenceEqual("subpath"u8) => Field.Subpath,
            _ when name.SequenceEqual("url"u8) => Field.Url,
            _ when name.SequenceEqual("fromEnd"u8) => Field.FromEnd,
            _ when name.SequenceEqual("toEnd"u8) => Field.ToEnd,
            _ => Field.None,
        };

        public void SetString(Field field, string value)
        {
            if (field <= Field.ToEnd)
            {
                _strings[(int)field] = value;
            }
        }

        // Geometry may be integer or fractional; missing or non-numeric reads as 0 (the text is kept as is).
        // Some tools write a color as a number; its text is what matters.
        public void SetNumber(Field field, double value, ReadOnlySpan<byte> raw)
        {
            switch (field)
            {
                case Field.X: _x = value; break;
                case Field.Y: _y = value; break;
                case Field.Width: _width = value; break;
                case Field.Height: _height = value; break;
                case Field.Color: _strings[(int)Field.Color] = Encoding.UTF8.GetString(raw); break;
                default: break;
            }
        }

        public CanvasNode ToNode(int position)
        {
            if (string.IsNullOrWhiteSpace(Str(Field.Id)))
            {
                throw new CanvasFormatException($"node #{position} has no id; every node needs a non-empty string \"id\".");
            }

            return new CanvasNode(Str(Field.Id)!, Str(Field.Type) ?? string.Empty, _x, _y, _width, _height, Str(Field.Color), Str(Field.Text), Str(Field.File))
            {
                Subpath = Str(Field.Subpath),
                Url = Str(Field.Url),
                Label = Str(Field.Label),
            };
        }

        /// <summary>An edge without both ends means nothing: it stays in the file but not in the view.</summary>
        public CanvasEdge? ToEdge() =>
            Str(Field.FromNode) is { } from && Str(Field.ToNode) is { } to
                ? new CanvasEdge(Str(Field.Id) ?? string.Empty, from, to, Str(Field.FromSide), Str(Field.ToSide), Str(Field.Label))
                {
                    FromEnd = Str(Field.FromEnd),
                    ToEnd = Str(Field.ToEnd),
                    Color = Str(Field.Color),
                }
                : null;

        private string? Str(Field field) => _strings[(int)field];
    }
}
