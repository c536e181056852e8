# sve-walkcache.gp - shadow-vs-ept: page-walk memory references per TLB
# miss for each mode and walk-cache configuration, two working sets.
# Variables set by the harness: datafile ("config small large" lines),
# outbase, plottitle.
set title plottitle
set ylabel "walk references per TLB miss"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.6 border -1
set yrange [0:26]
set ytics 4
set grid ytics
set key top left
set xtics rotate by -30
do for [t in "pngcairo svg"] {
	if (t eq "pngcairo") {
		set terminal pngcairo size 900,560 noenhanced font "sans,10"
		set output outbase.".png"
	} else {
		set terminal svg size 900,560 dynamic noenhanced font "sans,10"
		set output outbase.".svg"
	}
	plot datafile using 2:xticlabels(1) title "16 MiB working set", \
	     datafile using 3 title "256 MiB working set"
}
