# sve-largepages.gp - shadow-vs-ept: modeled cycles per access with 4 KiB
# and 2 MiB pages in the guest and (nested) in the EPT.
# Variables set by the harness: datafile ("\"config\" cycles refs" lines),
# outbase, plottitle.
set title plottitle
set ylabel "modeled cycles per access"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.6 border -1
set yrange [0:*]
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
	plot datafile using 2:xticlabels(1) title "cycles per access (guest pages / EPT pages)"
}
