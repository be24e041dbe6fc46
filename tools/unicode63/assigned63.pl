# Prints the code point ranges assigned in Unicode 6.3 (Perl's Present_In property), one "start end" hex pair a line.
use strict; use warnings;
my $s;
for my $cp (0..0x110000) {
  my $in = $cp <= 0x10FFFF && chr($cp) =~ /\p{Present_In=6.3}/;
  if ($in) { $s //= $cp } elsif (defined $s) { printf "%X %X\n", $s, $cp-1; undef $s }
}
